#!/usr/bin/env bash
# Make sure a Docker engine answers on /var/run/docker.sock. Idempotent: installs docker.io when
# dockerd is missing (CI machines start without it), starts dockerd in the background when it is
# not running, and waits for the engine to answer. Prints how long that took.
set -euo pipefail

SOCKET=/var/run/docker.sock
LOG=${DOCKERD_LOG:-/tmp/replimq-dockerd.log}
WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}
started_at=$(date +%s%N)

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

elapsed_ms() { echo $(( ($(date +%s%N) - started_at) / 1000000 )); }

if engine_answers; then
  echo "docker engine already running ($(elapsed_ms) ms)"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  # setsid: the engine must outlive the shell that started it (CI steps, test runners).
  setsid dockerd --storage-driver=overlay2 >"$LOG" 2>&1 < /dev/null &
fi

for _ in $(seq 1 $((WAIT_SECONDS * 10))); do
  if [ -S "$SOCKET" ] && engine_answers; then
    echo "docker engine ready ($(elapsed_ms) ms)"
    exit 0
  fi
  sleep 0.1
done

echo "docker engine did not answer on $SOCKET within ${WAIT_SECONDS}s; last lines of $LOG:" >&2
tail -n 30 "$LOG" >&2 || true
exit 1
