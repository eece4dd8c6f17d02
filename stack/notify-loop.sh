#!/usr/bin/env bash
# The demo's scheduler: run `ckan -c INI partnership notify` every INTERVAL
# seconds, as cron does in production (README, "ckan partnership notify").
#
#   stack/notify-loop.sh CKAN INI INTERVAL CHILDFILE
#
# CKAN is the ckan command, CHILDFILE the file where the pid of the run in
# progress (or of the sleep between runs) is written. A failing run is
# logged with its exit status and the loop goes on. TERM or INT stops the
# run in progress (PostgreSQL then releases its lock) and the loop.
set -uo pipefail
CKAN=$1 INI=$2 INTERVAL=$3 CHILDFILE=$4
[[ "$INTERVAL" =~ ^[1-9][0-9]*$ ]] || { echo "notify-loop: INTERVAL must be a positive number of seconds, not '$INTERVAL'" >&2; exit 2; }

child=
stop() {
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  rm -f "$CHILDFILE"
  echo "$(date -u +%FT%TZ) notify loop stopped"
  exit 0
}
trap stop TERM INT

echo "$(date -u +%FT%TZ) notify loop started: $CKAN -c $INI partnership notify, every ${INTERVAL}s"
runs=0
while :; do
  runs=$((runs + 1))
  echo "$(date -u +%FT%TZ) run $runs"
  "$CKAN" -c "$INI" partnership notify &
  child=$!
  echo "$child" > "$CHILDFILE"
  wait "$child"
  status=$?
  # wait returns early (status > 128) when a trapped signal arrives; the
  # trap has then already stopped everything.
  if [ "$status" -ne 0 ]; then
    echo "$(date -u +%FT%TZ) run $runs failed (exit status $status); next run in ${INTERVAL}s"
  else
    echo "$(date -u +%FT%TZ) run $runs done"
  fi
  sleep "$INTERVAL" &
  child=$!
  echo "$child" > "$CHILDFILE"
  wait "$child"
  child=
done
