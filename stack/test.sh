#!/usr/bin/env bash
# make test: install what is missing, start the test stack (its own
# PostgreSQL cluster, Redis and Solr core, apart from the demo's), migrate
# the test database, run the whole pytest suite after the import contracts
# (lint-imports). Stops the services it
# started itself, so a stack you started by hand stays up.
#   PYTEST_ARGS="-k search" make test    to pass options to pytest
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK=$ROOT/stack/stack.sh
CKAN=$ROOT/.venv/bin/ckan

"$STACK" install test

# The layers of README's architecture section (.importlinter), before any
# service starts: a broken contract fails the run.
echo "==> Checking the import contracts (lint-imports)" >&2
(cd "$ROOT" && "$ROOT/.venv/bin/lint-imports" --no-cache)

was_running=$("$STACK" status test | grep -c running || true)
"$STACK" start test
if [ "$was_running" = 0 ]; then
  trap '"$STACK" stop test' EXIT
fi

eval "$("$STACK" env test)"
export CKAN_SQLALCHEMY_URL=$PARTNERSHIP_DB_URL
export CKAN_SOLR_URL=$PARTNERSHIP_SOLR_URL
export CKAN_REDIS_URL=$PARTNERSHIP_REDIS_URL
export CKAN_STORAGE_PATH=$PARTNERSHIP_STORAGE
mkdir -p "$PARTNERSHIP_STORAGE"

echo "==> Migrating the test database" >&2
"$CKAN" -c "$ROOT/test.ini" db upgrade >/dev/null
"$CKAN" -c "$ROOT/test.ini" db upgrade -p activity >/dev/null
"$CKAN" -c "$ROOT/test.ini" db upgrade -p partnership >/dev/null

cd "$ROOT"
# shellcheck disable=SC2086
"$ROOT/.venv/bin/pytest" ${PYTEST_ARGS:-}
