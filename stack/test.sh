#!/usr/bin/env bash
# make test: install what is missing, start the test stack (its own
# PostgreSQL cluster, Redis and Solr core, apart from the demo's), migrate
# the test database, run the whole pytest suite after the import contracts
# (lint-imports). Stops the services it
# started itself, so a stack you started by hand stays up.
#   PYTEST_ARGS="-k search" make test    to pass options to pytest
#   CKAN_VERSION=2.12.0 make test        on CKAN 2.12.0 (.venv-2.12 and a
#                                        stack of its own); 2.11.6 by default
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK=$ROOT/stack/stack.sh

# The stack of this CKAN_VERSION (refused unless supported), its virtualenv.
stack_env=$("$STACK" env test)
eval "$stack_env"
export CKAN_VERSION
VENV=$PARTNERSHIP_VENV
CKAN=$VENV/bin/ckan

"$STACK" install test

# The layers of README's architecture section (.importlinter), before any
# service starts: a broken contract fails the run.
echo "==> Checking the import contracts (lint-imports)" >&2
(cd "$ROOT" && "$VENV/bin/lint-imports" --no-cache)

was_running=$("$STACK" status test | grep -c running || true)
"$STACK" start test
if [ "$was_running" = 0 ]; then
  trap '"$STACK" stop test' EXIT
fi

export CKAN_SQLALCHEMY_URL=$PARTNERSHIP_DB_URL
export CKAN_SOLR_URL=$PARTNERSHIP_SOLR_URL
export CKAN_REDIS_URL=$PARTNERSHIP_REDIS_URL
export CKAN_STORAGE_PATH=$PARTNERSHIP_STORAGE
mkdir -p "$PARTNERSHIP_STORAGE"

echo "==> Migrating the test database" >&2
"$CKAN" -c "$ROOT/test.ini" db upgrade >/dev/null
"$CKAN" -c "$ROOT/test.ini" db upgrade -p activity >/dev/null
"$CKAN" -c "$ROOT/test.ini" db upgrade -p partnership >/dev/null
# CKAN's tracking tables (the annual review's use of the data), through an
# ini that enables the plugin: the suite enables it only where it needs it.
"$CKAN" -c "$ROOT/tests/tracking.ini" db upgrade -p tracking >/dev/null

cd "$ROOT"
echo "==> Running the tests on CKAN $CKAN_VERSION" >&2
# shellcheck disable=SC2086
"$VENV/bin/pytest" ${PYTEST_ARGS:-}
