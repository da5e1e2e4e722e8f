#!/usr/bin/env bash
# A real PostgreSQL for the test suite (CI and development): Debian's postgresql binaries, a
# cluster initialised in a temporary directory, listening on 127.0.0.1 only. Idempotent: a server
# already answering on the port is reused. Installs the `postgresql` package when the binaries
# are missing (CI machines start without it).
#
# Prints the server's URL as the last line of stdout (progress goes to stderr), and writes it to
# $REPLIMQ_POSTGRES_URL_FILE, so a caller can `export REPLIMQ_TEST_POSTGRES_URL="$(bash …)"`.
# Tests create a database of their own per test file on it, so files run in parallel.
#
# Trust authentication on loopback: a throwaway server for tests, never a deployment.
set -euo pipefail

# Below the kernel's ephemeral range (32768–60999 on Linux): a port inside it can be held for a
# moment as the source port of any outgoing connection, and the server then fails to bind (seen
# once with 55432 while other test runs kept many connections open).
PORT=${REPLIMQ_POSTGRES_PORT:-25432}
DATA=${REPLIMQ_POSTGRES_DIR:-/tmp/replimq-postgres-$PORT}
URL_FILE=${REPLIMQ_POSTGRES_URL_FILE:-/tmp/replimq-postgres.url}
WAIT_SECONDS=${REPLIMQ_POSTGRES_WAIT_SECONDS:-60}
URL="postgres://postgres@127.0.0.1:$PORT/postgres"

log() { echo "ensure-postgres: $*" >&2; }

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

answers() { pg_isready -q -h 127.0.0.1 -p "$PORT" -U postgres 2>/dev/null; }

# initdb and postgres refuse to run as root: run them as the `postgres` user then.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BIN=$(find_bin || true)
if [[ -z "$BIN" ]]; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3 4 5; do
    if apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; then break; fi
    log "apt-get failed (attempt $attempt; the dpkg lock may be held), retrying"
    sleep 5
  done
  BIN=$(find_bin)
  # Debian's package starts its own cluster on 5432; ours is separate, so that one may stay.
fi
export PATH="$BIN:$PATH"

if answers; then
  log "already running on port $PORT"
else
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    log "initialising a cluster in $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$DATA"
    chmod 700 "$DATA"
    as_owner initdb -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # Many test files run at once, each with a few nodes holding a few connections apiece.
  as_owner pg_ctl -D "$DATA" -l "$DATA/server.log" -w -t "$WAIT_SECONDS" start \
    -o "-h 127.0.0.1 -p $PORT -k $DATA -c max_connections=400 -c shared_buffers=128MB" >/dev/null
  for _ in $(seq 1 $((WAIT_SECONDS * 10))); do
    answers && break
    sleep 0.1
  done
  answers || { log "PostgreSQL did not answer on port $PORT; see $DATA/server.log"; exit 1; }
  log "started on port $PORT (data in $DATA)"
fi

echo "$URL" > "$URL_FILE"
echo "$URL"
