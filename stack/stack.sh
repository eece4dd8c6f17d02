#!/usr/bin/env bash
# The portal's stack as local processes on 127.0.0.1: PostgreSQL, Redis,
# Apache Solr 9, and (for the demo) CKAN's web server (Gunicorn) and
# background workers.
#
#   stack/stack.sh install [demo|test] system packages, .venv, Solr jars, catalogue
#   stack/stack.sh start  demo|test   start the services of one stack (idempotent)
#   stack/stack.sh stop   demo|test   stop them
#   stack/stack.sh status demo|test
#   stack/stack.sh env    demo|test   print the stack's ports and URLs
#   stack/stack.sh start-ckan demo    the demo's web server (Gunicorn) and
#                                     background workers (idempotent)
#   stack/stack.sh start-workers|stop-workers demo|test
#                                     the supervised job workers alone, on
#                                     demo.ini or test.ini
#   stack/stack.sh start-web demo|test INI PORT [WORKERS]
#                                     one more CKAN under Gunicorn on INI, on
#                                     127.0.0.1:PORT, on the stack's services
#                                     (pid run/web-PORT.pid, logs log/web-PORT*)
#   stack/stack.sh stop-web demo|test PORT
#   stack/stack.sh start-service|stop-service demo|test postgresql|redis|solr
#                                     start or stop one service (the fault
#                                     tests); start brings them all back
#   stack/stack.sh start-mail|stop-mail demo|test
#                                     the mail catcher alone: an SMTP server
#                                     on 127.0.0.1:SMTP_PORT (supervised)
#                                     keeping each message in mail/
#   stack/stack.sh mail demo|test [-n N]
#                                     print the N latest messages caught
#   stack/stack.sh start-notify demo|test [INI [INTERVAL]]
#   stack/stack.sh stop-notify demo|test
#                                     the loop running `ckan partnership
#                                     notify` every INTERVAL seconds
#                                     (PARTNERSHIP_DEMO_NOTIFY_INTERVAL, 60)
#
# Each stack keeps everything under .stack/<mode>/ (ignored by git):
# pg/ (the cluster), redis/, solr/ (home and index), storage/ (uploads),
# mail/ (the messages the mail catcher received, a Maildir), run/ (pid
# files), log/. The demo and test stacks use separate ports, so
# tests run while a demo is up. Ports can be moved with the variables below.
#
# CKAN_VERSION picks the CKAN the stack runs on: 2.11.6 (the default, in
# .venv, stacks under .stack/<mode>/) or 2.12.0 (in .venv-2.12, stacks under
# .stack/<mode>-2.12/, on ports of their own), so the two never share a
# virtualenv, a database or a Solr core.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'stack: %s\n' "$*" >&2; exit 1; }

# The supported CKAN versions: the virtualenv, the requirements file that
# pins CKAN, the suffix of the stack directories, the offset of the default
# ports. requirements.txt pins 2.11.6; for 2.12.0 its CKAN line is replaced
# by requirements-ckan2.12.txt, the rest of it and dev-requirements.txt are
# shared.
CKAN_VERSION=${CKAN_VERSION:-2.11.6}
case "$CKAN_VERSION" in
  2.11.6) VENV=$ROOT/.venv; CKAN_REQS=; STACK_SUFFIX=; PORT_SHIFT=0 ;;
  2.12.0) VENV=$ROOT/.venv-2.12; CKAN_REQS=$ROOT/requirements-ckan2.12.txt; STACK_SUFFIX=-2.12; PORT_SHIFT=5 ;;
  *) die "CKAN_VERSION must be 2.11.6 (the default) or 2.12.0, not '$CKAN_VERSION'" ;;
esac
export CKAN_VERSION

mode_env() {
  MODE=${1:-}
  case "$MODE" in
    demo)
      PG_PORT=${PARTNERSHIP_DEMO_PG_PORT:-$((54329 + PORT_SHIFT))}
      REDIS_PORT=${PARTNERSHIP_DEMO_REDIS_PORT:-$((63799 + PORT_SHIFT))}
      SOLR_PORT=${PARTNERSHIP_DEMO_SOLR_PORT:-$((8983 + PORT_SHIFT))}
      CKAN_PORT=${PARTNERSHIP_DEMO_CKAN_PORT:-$((5000 + PORT_SHIFT))}
      SMTP_PORT=${PARTNERSHIP_DEMO_SMTP_PORT:-$((1025 + PORT_SHIFT))}
      NOTIFY_INTERVAL=${PARTNERSHIP_DEMO_NOTIFY_INTERVAL:-60}
      DB_NAME=ckan_demo
      SOLR_CORE=ckan
      ;;
    test)
      PG_PORT=${PARTNERSHIP_TEST_PG_PORT:-$((54339 + PORT_SHIFT))}
      REDIS_PORT=${PARTNERSHIP_TEST_REDIS_PORT:-$((63809 + PORT_SHIFT))}
      SOLR_PORT=${PARTNERSHIP_TEST_SOLR_PORT:-$((8993 + PORT_SHIFT))}
      CKAN_PORT=
      SMTP_PORT=${PARTNERSHIP_TEST_SMTP_PORT:-$((1035 + PORT_SHIFT))}
      NOTIFY_INTERVAL=${PARTNERSHIP_TEST_NOTIFY_INTERVAL:-60}
      DB_NAME=ckan_test
      SOLR_CORE=ckan_test
      ;;
    *) die "mode must be demo or test, not '${MODE}'" ;;
  esac
  DIR=$ROOT/.stack/$MODE$STACK_SUFFIX
  RUN=$DIR/run
  LOGS=$DIR/log
  DB_USER=ckan
  DB_PASS=ckan
  DB_URL=postgresql://$DB_USER:$DB_PASS@127.0.0.1:$PG_PORT/$DB_NAME
  SOLR_URL=http://127.0.0.1:$SOLR_PORT/solr/$SOLR_CORE
  REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
  MAILDIR=$DIR/mail
}

# --------------------------------------------------------------------------
# Installation (system packages, virtualenv, Solr jars, translations)
# --------------------------------------------------------------------------

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

# grep reads the whole list: with pipefail, grep -q's early exit would kill
# ldconfig with SIGPIPE and fail the pipeline, now and then, on a library
# that is there.
have_lib() { ldconfig -p 2>/dev/null | grep -F "$1" >/dev/null; }

install_system() {
  local need=()
  pg_bindir >/dev/null || need+=(postgresql)
  command -v pg_config >/dev/null || need+=(libpq-dev)
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v java >/dev/null || need+=(default-jdk-headless)
  command -v mvn >/dev/null || need+=(maven)
  # The browser tests' Chromium, not needed to run the portal.
  [ "${1:-test}" = demo ] || [ -x /usr/bin/chromium ] || need+=(chromium)
  have_lib libmagic.so.1 || need+=(libmagic1)
  # The annual review's PDF: WeasyPrint's Pango and the fonts it embeds;
  # poppler's tools read the PDF back in the tests.
  have_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
  have_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
  [ "${1:-test}" = demo ] || command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v gcc >/dev/null || need+=(gcc)
  "$PY" -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
  [ ${#need[@]} -eq 0 ] && return 0
  log "Installing system packages: ${need[*]}"
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  # Do not let the packages start their own services: the stack runs its own.
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [ -z "$sudo" ] && [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy && created_policy=1
  fi
  # One apt at a time: .ci/run installs for both CKAN versions at once.
  $sudo flock /tmp/ckanext-partnership-apt.lock apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive $sudo flock /tmp/ckanext-partnership-apt.lock \
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}"
  [ -n "$created_policy" ] && rm -f $policy
  return 0
}

install_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "Creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  # The requirements: requirements.txt and dev-requirements.txt as they are
  # for 2.11.6; for another version, each line naming a package of that
  # version's file (CKAN itself, the pins that must differ) replaced by it.
  local files=("$ROOT/requirements.txt" "$ROOT/dev-requirements.txt") reqs=() f
  if [ -n "$CKAN_REQS" ]; then
    "$PY" - "$CKAN_REQS" "$VENV" "${files[@]}" <<'PYEOF'
import re, sys
def name(line):  # the normalised project name of a requirement line, else None
    line = line.strip()
    if not line or line.startswith(("#", "-")):
        return None
    return re.split(r"[\[=<>!~;@ ]", line, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")
override, venv = sys.argv[1], sys.argv[2]
mine = {name(l) for l in open(override)} - {None}
for path in sys.argv[3:]:
    kept = [l for l in open(path) if name(l) not in mine]
    out = "%s/.partnership-%s" % (venv, path.rsplit("/", 1)[1])
    open(out, "w").write("".join(kept))
PYEOF
    files=("$CKAN_REQS" "$VENV/.partnership-requirements.txt" "$VENV/.partnership-dev-requirements.txt")
  fi
  for f in "${files[@]}"; do reqs+=(-r "$f"); done
  local stamp=$VENV/.partnership-installed
  local sum
  sum=$(cat "${files[@]}" "$ROOT/setup.py" "$ROOT/setup.cfg" | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    log "Installing CKAN $CKAN_VERSION, the extensions and the test tools into $VENV"
    "$VENV/bin/pip" install -q --upgrade 'pip==24.2' 'setuptools==70.3.0' wheel
    "$VENV/bin/pip" install -q "${reqs[@]}"
    "$VENV/bin/pip" install -q --no-deps -e "$ROOT"
    echo "$sum" > "$stamp"
  fi
}

install_udata() {  # data.gouv.fr's harvesters, for the harvest tests
  local venv=$ROOT/.venv-udata req=$ROOT/tests/udata/requirements.txt
  local stamp=$venv/.partnership-installed sum
  sum=$(sha256sum "$req" | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && return 0
  log "Installing udata (data.gouv.fr's harvesters) into $venv"
  [ -x "$venv/bin/python" ] || "$PY" -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade 'pip==24.2'
  "$venv/bin/pip" install -q -r "$req"
  echo "$sum" > "$stamp"
}

install_solr() {
  local dir=$ROOT/stack/solr
  if [ ! -f "$dir/target/partnership-solr-1.0.jar" ] || [ ! -d "$dir/target/lib" ] \
     || [ "$dir/pom.xml" -nt "$dir/target/partnership-solr-1.0.jar" ] \
     || [ -n "$(find "$dir/src" -newer "$dir/target/partnership-solr-1.0.jar" -type f)" ]; then
    log "Building the Solr launcher (Maven: org.apache.solr 9)"
    (cd "$dir" && mvn -q -B package)
  fi
}

install_i18n() {
  local i18n=$ROOT/ckanext/partnership/i18n
  local po mo
  for po in "$i18n"/*/LC_MESSAGES/ckanext-partnership.po; do
    mo=${po%.po}.mo
    if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
      "$VENV/bin/pybabel" compile -i "$po" -o "$mo" >/dev/null 2>&1
    fi
  done
}

cmd_install() {  # cmd_install [demo|test]
  install_system "${1:-test}"
  install_venv
  install_solr
  install_i18n
  [ "${1:-test}" = demo ] || install_udata
}

# --------------------------------------------------------------------------
# Process helpers
# --------------------------------------------------------------------------

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  local i
  for ((i = 0; i < secs * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  die "$what did not come up in ${secs}s (logs: $LOGS)"
}

check_port_free() {  # check_port_free PORT NAME
  if port_busy "$1"; then
    die "port $1 ($2, $MODE stack) is taken by another program; set the matching PARTNERSHIP_${MODE^^}_*_PORT variable to move it"
  fi
}

# Run a command as the PostgreSQL owner: the 'postgres' system user when we are
# root (PostgreSQL refuses to run as root), else ourselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")   # from a directory postgres may enter
  else
    "$@"
  fi
}

# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------

# Where the cluster lives: PG_DATA (the data directory), PG_SOCK (the socket
# directory), PG_LOG (the server's log). Under the stack's directory, unless
# we are root and the 'postgres' user cannot enter it (a clone in /root or
# another private home): then under /var/lib/ckanext-partnership/<key>/, a
# directory of its own per stack directory, with links from the usual places
# (.stack/<mode>/pg, run/pg, log/postgresql.log) so that everything else finds
# it where it always is. Nothing in the clone changes permissions.
pg_paths() {
  PG_DATA=$DIR/pg PG_SOCK=$RUN/pg PG_LOG=$LOGS/postgresql.log
  mkdir -p "$DIR" "$RUN" "$LOGS"
  [ "$(id -u)" -eq 0 ] || return 0
  getent passwd postgres >/dev/null || die "no 'postgres' system user to run PostgreSQL as"
  if [ ! -L "$DIR/pg" ] && runuser -u postgres -- test -x "$DIR"; then
    return 0
  fi
  local key home
  key=$(printf '%s' "$(cd "$DIR" && pwd -P)" | sha1sum | cut -c1-16)
  home=${PARTNERSHIP_PG_HOME:-/var/lib/ckanext-partnership}/$key
  mkdir -p "$home"
  chmod 755 "$(dirname "$home")"
  chown postgres "$home"
  chmod 700 "$home"
  printf '%s\n' "$DIR" > "$home/stack-dir"   # whose cluster this is
  PG_DATA=$home/data PG_SOCK=$home/sock PG_LOG=$home/postgresql.log
  runuser -u postgres -- mkdir -p "$PG_SOCK"
  local link target
  for link in "$DIR/pg:$PG_DATA" "$RUN/pg:$PG_SOCK" "$LOGS/postgresql.log:$PG_LOG"; do
    target=${link#*:} link=${link%%:*}
    [ "$(readlink "$link" 2>/dev/null)" = "$target" ] && continue
    if [ -e "$link" ] && [ ! -L "$link" ]; then
      # Left by an earlier run (the clone was reachable then): moved, not lost.
      [ -e "$target" ] && die "both $link and $target exist: remove the one you do not need"
      mv "$link" "$target" && chown -R postgres "$target"
    fi
    ln -sfn "$target" "$link"
  done
}

start_pg() {
  local bin data sock
  bin=$(pg_bindir) || die "PostgreSQL is not installed (run: stack/stack.sh install)"
  pg_paths
  data=$PG_DATA sock=$PG_SOCK
  mkdir -p "$sock"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$sock"
    [ "$PG_LOG" = "$LOGS/postgresql.log" ] && chown postgres "$LOGS"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "Creating the PostgreSQL cluster ($MODE) in $data"
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$data"
    local pw
    pw=$(mktemp)
    echo "$DB_PASS" > "$pw"
    chmod 644 "$pw"
    as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --pwfile="$pw" >"$LOGS/initdb.log"
    rm -f "$pw"
  fi
  if as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    :
  else
    check_port_free "$PG_PORT" PostgreSQL
    log "Starting PostgreSQL ($MODE) on 127.0.0.1:$PG_PORT"
    # The test cluster is thrown away and rebuilt at will: it does not wait
    # for the disk at each commit (fsync off; a killed server still loses
    # nothing committed, only a crash of the machine would). The demo's
    # waits, as a portal's does. PG_FSYNC=on|off overrides.
    local fsync=on
    [ "$MODE" = test ] && fsync=off
    as_pg "$bin/pg_ctl" -D "$data" -l "$PG_LOG" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$sock -c fsync=${PG_FSYNC:-$fsync}" start >/dev/null
  fi
  local psql=("$bin/psql" -h "$sock" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$(as_pg "${psql[@]}" -c "select 1 from pg_roles where rolname='$DB_USER'")" != 1 ]; then
    as_pg "${psql[@]}" -c "create role $DB_USER login password '$DB_PASS'"
  fi
  if [ "$(as_pg "${psql[@]}" -c "select 1 from pg_database where datname='$DB_NAME'")" != 1 ]; then
    as_pg "${psql[@]}" -c "create database $DB_NAME owner $DB_USER encoding 'UTF8' template template0"
  fi
}

# The data directory of an existing cluster, wherever pg_paths put it
# (creates nothing: stop and status only look).
pg_data() {
  if [ -L "$DIR/pg" ]; then readlink "$DIR/pg"; else echo "$DIR/pg"; fi
}

stop_pg() {
  local bin data
  bin=$(pg_bindir) || return 0
  data=$(pg_data)
  [ -f "$data/PG_VERSION" ] || return 0
  if as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "Stopping PostgreSQL ($MODE)"
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
  fi
}

# --------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------

start_redis() {
  local pid=$RUN/redis.pid
  mkdir -p "$DIR/redis" "$RUN" "$LOGS"
  pid_alive "$pid" && return 0
  check_port_free "$REDIS_PORT" Redis
  log "Starting Redis ($MODE) on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" \
    --daemonize yes --pidfile "$pid" --logfile "$LOGS/redis.log" \
    --save 60 1 --appendonly no >/dev/null
  wait_for 20 Redis redis_ping
}

redis_ping() { (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG); }

stop_process() {  # stop_process NAME LABEL: the process of $RUN/NAME.pid
  local pid=$RUN/$1.pid
  if pid_alive "$pid"; then
    log "Stopping $2 ($MODE)"
    kill "$(cat "$pid")"
    wait_gone "$pid"
  fi
}

wait_gone() {  # wait_gone PIDFILE
  local p i
  p=$(cat "$1")
  for ((i = 0; i < 120; i++)); do
    kill -0 "$p" 2>/dev/null || { rm -f "$1"; return 0; }
    sleep 0.25
  done
  kill -9 "$p" 2>/dev/null || true
  rm -f "$1"
}

# --------------------------------------------------------------------------
# Solr
# --------------------------------------------------------------------------

ckan_solr_schema() {
  "$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))'
}

start_solr() {
  local home=$DIR/solr pid=$RUN/solr.pid src=$ROOT/stack/solr
  local core=$home/$SOLR_CORE
  mkdir -p "$core/conf" "$RUN" "$LOGS"
  # The configuration is refreshed at each start: CKAN's schema.xml from the
  # installed ckan package, our solrconfig.xml. The index (data/) is kept.
  cp "$src/solr.xml" "$home/solr.xml"
  cp "$src"/conf/* "$core/conf/"
  cp "$(ckan_solr_schema)" "$core/conf/schema.xml"
  echo "name=$SOLR_CORE" > "$core/core.properties"
  pid_alive "$pid" && return 0
  check_port_free "$SOLR_PORT" Solr
  log "Starting Apache Solr ($MODE) on 127.0.0.1:$SOLR_PORT, core '$SOLR_CORE'"
  nohup java -Xms256m -Xmx${SOLR_HEAP:-768m} \
    -Dsolr.log.dir="$LOGS" -Dlog4j.configurationFile="$src/log4j2.xml" \
    -Dsolr.install.dir="$src" -Dsolr.data.home= \
    -cp "$src/target/partnership-solr-1.0.jar:$src/target/lib/*" \
    org.ckanext.partnership.solr.SolrServer "$home" "$SOLR_PORT" \
    >"$LOGS/solr.log" 2>&1 </dev/null &
  echo $! > "$pid"
  wait_for 120 Solr curl -sf "$SOLR_URL/admin/ping?wt=json"
}

# --------------------------------------------------------------------------
# CKAN (demo only): the background workers and the web server
# --------------------------------------------------------------------------
# The web server is Gunicorn (several worker processes, as in production) on
# ckanext.partnership.wsgi:make_app(); PARTNERSHIP_WEB_WORKERS sets their
# number (default 2 x cores + 1, at most 8). CKAN's background jobs run in
# PARTNERSHIP_JOB_WORKERS `ckan jobs worker` processes (default 2), each
# under a small supervisor that starts it again when it exits or is killed.

web_workers() {
  local n=${PARTNERSHIP_WEB_WORKERS:-}
  if [ -z "$n" ]; then
    n=$((2 * $(nproc 2>/dev/null || echo 1) + 1))
    [ "$n" -le 8 ] || n=8
  fi
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "PARTNERSHIP_WEB_WORKERS must be a positive number, not '$n'"
  echo "$n"
}

job_workers() {
  local n=${PARTNERSHIP_JOB_WORKERS:-2}
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "PARTNERSHIP_JOB_WORKERS must be a positive number, not '$n'"
  echo "$n"
}

# The demo's ini, and the mode's connection settings for what CKAN starts
# (a caller's CKAN_* variables, e.g. the demo's, win).
ckan_env() {
  export CKAN_SQLALCHEMY_URL=${CKAN_SQLALCHEMY_URL:-$DB_URL}
  export CKAN_SOLR_URL=${CKAN_SOLR_URL:-$SOLR_URL}
  export CKAN_REDIS_URL=${CKAN_REDIS_URL:-$REDIS_URL}
  export CKAN_STORAGE_PATH=${CKAN_STORAGE_PATH:-$DIR/storage}
}

supervise() {  # supervise NAME LABEL CMD...: CMD run again each time it exits
  # The supervisor (its pid in $RUN/NAME.pid) runs CMD (its pid in
  # NAME.child), output to $LOGS/NAME.log; TERM stops both, CMD first.
  local name=$1 label=$2; shift 2
  nohup bash -c '
    base=$1 label=$2; shift 2
    child=
    trap '\''[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; rm -f "$base.child"; exit 0'\'' TERM INT
    starts=0
    while :; do
      starts=$((starts + 1))
      [ "$starts" -eq 1 ] || echo "$label exited; started again (start $starts)" >&2
      "$@" & child=$!
      echo "$child" > "$base.child"
      wait "$child"
      sleep 1
    done' supervise "$RUN/$name" "$label" "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! > "$RUN/$name.pid"
}

start_job_worker() {  # start_job_worker INI N: worker N, supervised
  local ini=$1 n=$2
  pid_alive "$RUN/worker-$n.pid" && return 0
  log "Starting CKAN's background worker $n"
  # TERM stops the worker finishing its current job first (rq's warm shutdown).
  supervise "worker-$n" worker "$VENV/bin/ckan" -c "$ini" jobs worker
}

stop_job_worker() {  # stop_job_worker N: the supervisor, then its worker
  local child
  child=$(cat "$RUN/worker-$1.child" 2>/dev/null || true)
  stop_process "worker-$1" "CKAN's background worker $1"
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    echo "$child" > "$RUN/worker-$1.child"
    wait_gone "$RUN/worker-$1.child"  # TERM sent by the supervisor; KILL after 30s
  fi
  rm -f "$RUN/worker-$1.child"
}

start_web() {  # start_web INI PORT WORKERS NAME: Gunicorn, pid in $RUN/NAME.pid
  local ini=$1 port=$2 workers=$3 name=$4
  pid_alive "$RUN/$name.pid" && return 0
  check_port_free "$port" CKAN
  log "Starting CKAN on http://127.0.0.1:$port (Gunicorn, $workers workers)"
  # --timeout: a worker silent that long is killed and replaced; long enough
  # for an upload of ckan.max_resource_size on a slow line.
  CKAN_INI=$ini nohup "$VENV/bin/gunicorn" \
    --bind "127.0.0.1:$port" --workers "$workers" \
    --timeout "${PARTNERSHIP_WEB_TIMEOUT:-300}" --graceful-timeout 30 \
    --access-logfile "$LOGS/$name-access.log" --error-logfile - \
    --name "ckan-$MODE-$name" --chdir "$ROOT" \
    'ckanext.partnership.wsgi:make_app()' >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! > "$RUN/$name.pid"
  local i
  for ((i = 0; i < 480; i++)); do
    curl -sf "http://127.0.0.1:$port/api/3/action/status_show" >/dev/null 2>&1 && return 0
    pid_alive "$RUN/$name.pid" || die "Gunicorn exited (log: $LOGS/$name.log)"
    sleep 0.25
  done
  die "CKAN did not come up in 120s (log: $LOGS/$name.log)"
}

start_job_workers() {  # the mode's job workers, on its ini (idempotent)
  local ini=$ROOT/$MODE.ini n
  mkdir -p "$RUN" "$LOGS"
  ckan_env
  # a worker of an older checkout (one unsupervised worker.pid)
  stop_process worker "CKAN's background worker"
  for ((n = 1; n <= $(job_workers); n++)); do
    start_job_worker "$ini" "$n"
  done
}

stop_job_workers() {
  local f n
  stop_process worker "CKAN's background worker"
  for f in "$RUN"/worker-*.pid; do
    [ -e "$f" ] || continue
    n=${f##*/worker-}; stop_job_worker "${n%.pid}"
  done
}

start_ckan() {
  start_job_workers
  start_web "$ROOT/$MODE.ini" "$CKAN_PORT" "$(web_workers)" ckan
  start_notify
}

stop_ckan() {
  local f
  stop_process ckan "CKAN"
  for f in "$RUN"/web-*.pid; do
    [ -e "$f" ] || continue
    f=${f##*/}; stop_process "${f%.pid}" "CKAN (${f%.pid})"
  done
  stop_job_workers
}

job_worker_status() {  # one line per worker: running (its pid) or stopped
  local f n
  for f in "$RUN"/worker-*.pid; do
    [ -e "$f" ] || continue
    n=${f##*/worker-}; supervised_status "worker-${n%.pid}"
  done
}

# --------------------------------------------------------------------------
# The demo's mail and scheduled work: the mail catcher, the notify loop
# --------------------------------------------------------------------------
# The mail catcher (stack/mailcatcher.py, aiosmtpd) is an SMTP server on
# 127.0.0.1:SMTP_PORT that accepts every message and keeps it in the Maildir
# $DIR/mail/; `stack.sh mail MODE` prints the latest ones. It runs under a
# supervisor like the job workers (pid in mail.pid, the server's in
# mail.child), started again if it exits or is killed; what it stored stays.
# The notify loop (stack/notify-loop.sh, pid in notify.pid, the run in
# progress in notify.child) runs `ckan partnership notify` every
# NOTIFY_INTERVAL seconds, as cron does in production.

smtp_ping() { (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT" && head -c 3 <&3 | grep -q 220); }

start_mail() {
  local pid=$RUN/mail.pid
  mkdir -p "$RUN" "$LOGS" "$MAILDIR"
  pid_alive "$pid" && return 0
  check_port_free "$SMTP_PORT" "the mail catcher (SMTP)"
  log "Starting the mail catcher ($MODE) on 127.0.0.1:$SMTP_PORT, messages in $MAILDIR"
  supervise mail "mail catcher" "$VENV/bin/python" "$ROOT/stack/mailcatcher.py" \
    serve --port "$SMTP_PORT" --maildir "$MAILDIR"
  wait_for 30 "The mail catcher" smtp_ping
}

stop_supervised() {  # stop_supervised NAME LABEL: $RUN/NAME.pid, then NAME.child
  local child
  child=$(cat "$RUN/$1.child" 2>/dev/null || true)
  stop_process "$1" "$2"
  # still there only if its supervisor was killed before it could stop it
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    echo "$child" > "$RUN/$1.child"
    wait_gone "$RUN/$1.child"  # KILL after 30s
  fi
  rm -f "$RUN/$1.child"
}

stop_mail() { stop_supervised mail "the mail catcher"; }

show_mail() {  # show_mail [-n N]
  "$VENV/bin/python" "$ROOT/stack/mailcatcher.py" show --maildir "$MAILDIR" "$@"
}

start_notify() {  # start_notify [INI [INTERVAL]]
  local ini=${1:-$ROOT/$MODE.ini} interval=${2:-$NOTIFY_INTERVAL} pid=$RUN/notify.pid
  [[ "$interval" =~ ^[1-9][0-9]*$ ]] || die "PARTNERSHIP_${MODE^^}_NOTIFY_INTERVAL must be a positive number of seconds, not '$interval'"
  ini=$(cd "$(dirname "$ini")" && pwd)/$(basename "$ini")
  mkdir -p "$RUN" "$LOGS"
  pid_alive "$pid" && return 0
  ckan_env
  log "Starting the notify loop ($MODE): ckan partnership notify every ${interval}s"
  nohup "$ROOT/stack/notify-loop.sh" "$VENV/bin/ckan" "$ini" "$interval" "$RUN/notify.child" \
    >>"$LOGS/notify.log" 2>&1 </dev/null &
  echo $! > "$pid"
}

stop_notify() { stop_supervised notify "the notify loop"; }

supervised_status() {  # supervised_status NAME [DETAIL]: running (the child's pid), restarting, stopped
  local f=$RUN/$1.pid child
  child=$(cat "$RUN/$1.child" 2>/dev/null || true)
  if pid_alive "$f" && [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    echo "$1  running  pid $child${2:+ ($2)}"
  elif pid_alive "$f"; then
    echo "$1  restarting  (supervisor pid $(cat "$f"))"
  else
    echo "$1  stopped"
  fi
}

# --------------------------------------------------------------------------

cmd_start() {
  mode_env "$1"
  start_pg
  start_redis
  start_solr
  # the demo's mail goes to its catcher; the tests start their own SMTP servers
  if [ "$MODE" = demo ]; then start_mail; fi
}

cmd_stop() {
  mode_env "$1"
  stop_notify
  stop_ckan
  stop_mail
  stop_process solr Solr
  stop_process redis Redis
  stop_pg
}

cmd_status() {
  mode_env "$1"
  local bin
  bin=$(pg_bindir) || true
  if [ -n "$bin" ] && [ -f "$(pg_data)/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$(pg_data)" status >/dev/null 2>&1; then
    echo "postgresql  running  127.0.0.1:$PG_PORT/$DB_NAME"
  else
    echo "postgresql  stopped"
  fi
  local name lines
  for name in redis solr; do
    if pid_alive "$RUN/$name.pid"; then echo "$name  running  pid $(cat "$RUN/$name.pid")"; else echo "$name  stopped"; fi
  done
  lines=$(job_worker_status)
  echo "${lines:-worker  stopped}"
  supervised_status mail "SMTP 127.0.0.1:$SMTP_PORT, $(mail_count) messages in $MAILDIR"
  supervised_status notify "ckan partnership notify every ${NOTIFY_INTERVAL}s, log $LOGS/notify.log"
  for name in ckan $(cd "$RUN" 2>/dev/null && ls web-*.pid 2>/dev/null | sed 's/\.pid$//'); do
    if pid_alive "$RUN/$name.pid"; then
      echo "$name  running  pid $(cat "$RUN/$name.pid") (Gunicorn, $(gunicorn_workers "$(cat "$RUN/$name.pid")") workers)"
    else
      echo "$name  stopped"
    fi
  done
}

mail_count() {  # the messages the catcher has kept
  find "$MAILDIR/new" "$MAILDIR/cur" -type f 2>/dev/null | wc -l
}

gunicorn_workers() {  # how many worker processes a Gunicorn master has
  pgrep -c -P "$1" 2>/dev/null || echo 0
}

cmd_env() {
  mode_env "$1"
  cat <<EOF
PARTNERSHIP_DB_URL=$DB_URL
PARTNERSHIP_SOLR_URL=$SOLR_URL
PARTNERSHIP_REDIS_URL=$REDIS_URL
PARTNERSHIP_STORAGE=$DIR/storage
PARTNERSHIP_CKAN_PORT=$CKAN_PORT
PARTNERSHIP_SMTP_PORT=$SMTP_PORT
PARTNERSHIP_MAILDIR=$MAILDIR
PARTNERSHIP_NOTIFY_INTERVAL=$NOTIFY_INTERVAL
PARTNERSHIP_VENV=$VENV
CKAN_VERSION=$CKAN_VERSION
EOF
}

case "${1:-}" in
  install) cmd_install "${2:-test}" ;;
  start) cmd_start "${2:-}" ;;
  start-ckan) mode_env "${2:-}"; start_ckan ;;
  start-workers) mode_env "${2:-}"; start_job_workers ;;
  stop-workers) mode_env "${2:-}"; stop_job_workers ;;
  start-web)
    mode_env "${2:-}"
    [ -n "${3:-}" ] && [ -n "${4:-}" ] || die "usage: stack.sh start-web demo|test INI PORT [WORKERS]"
    mkdir -p "$RUN" "$LOGS"
    ckan_env
    start_web "$(cd "$(dirname "$3")" && pwd)/$(basename "$3")" "$4" "${5:-$(web_workers)}" "web-$4" ;;
  stop-web)
    mode_env "${2:-}"
    [ -n "${3:-}" ] || die "usage: stack.sh stop-web demo|test PORT"
    stop_process "web-$3" "CKAN (web-$3)" ;;
  stop) cmd_stop "${2:-}" ;;
  start-service)
    mode_env "${2:-}"
    case "${3:-}" in
      postgresql) start_pg ;;
      redis) start_redis ;;
      solr) start_solr ;;
      *) die "the service must be postgresql, redis or solr, not '${3:-}'" ;;
    esac ;;
  stop-service)
    mode_env "${2:-}"
    case "${3:-}" in
      postgresql) stop_pg ;;
      redis) stop_process redis Redis ;;
      solr) stop_process solr Solr ;;
      *) die "the service must be postgresql, redis or solr, not '${3:-}'" ;;
    esac ;;
  status) cmd_status "${2:-}" ;;
  start-mail) mode_env "${2:-}"; start_mail ;;
  stop-mail) mode_env "${2:-}"; stop_mail ;;
  mail) mode_env "${2:-}"; shift 2; show_mail "$@" ;;
  start-notify) mode_env "${2:-}"; start_notify "${3:-}" "${4:-}" ;;
  stop-notify) mode_env "${2:-}"; stop_notify ;;
  env) cmd_env "${2:-}" ;;
  *) sed -n '2,45p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
