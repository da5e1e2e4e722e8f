#!/usr/bin/env bash
# Make the local base image `replimq-base:local` without any registry: a root filesystem holding
# only this machine's `node` binary, the shared libraries it links, and the few files in /etc that
# glibc and Node read (users, name resolution, CA certificates), imported with `docker import`.
#
# Why: no image registry is reachable here, so `FROM node:22-bookworm-slim` cannot be pulled.
# Because the image runs the host's own node, native modules built on the host (better-sqlite3)
# match its ABI and glibc. The image has no shell: wait on HTTP, never exec into it.
#
# Idempotent: skips the import when the image already holds this node binary (by checksum);
# `--force` rebuilds. Usage: scripts/docker/make-base-image.sh [--force] [image-name]
set -euo pipefail

force=false
if [ "${1:-}" = "--force" ]; then force=true; shift; fi
IMAGE=${1:-replimq-base:local}
NODE_BIN=$(readlink -f "$(command -v node)")
NODE_SUM=$(sha256sum "$NODE_BIN" | cut -c1-16)
started_at=$(date +%s%N)
elapsed_ms() { echo $(( ($(date +%s%N) - started_at) / 1000000 )); }

existing=$(docker image inspect --format '{{ index .Config.Labels "replimq.base.node-sha256" }}' "$IMAGE" 2>/dev/null || true)
if [ "$force" = false ] && [ "$existing" = "$NODE_SUM" ]; then
  echo "$IMAGE already holds this node ($NODE_SUM), nothing to do ($(elapsed_ms) ms)"
  exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc/ssl/certs" "$root/app" "$root/data"
chmod 1777 "$root/tmp"
cp "$NODE_BIN" "$root/usr/local/bin/node"

# Every library the dynamic linker resolves for node, at the same path (the loader included).
ldd "$NODE_BIN" | grep -o '/[^ ]*' | sort -u | while read -r lib; do
  cp --parents -L "$lib" "$root"
done

# uid 1000 `node`, like the public Node images, so the Dockerfile's USER works on both bases.
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/usr/sbin/nologin
node:x:1000:1000:node:/home/node:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
node:x:1000:
nogroup:x:65534:
GROUP
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
fi
mkdir -p "$root/home/node"
chown 1000:1000 "$root/home/node" "$root/data"

tar -C "$root" --numeric-owner -cf - . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change "ENV NODE_VERSION=$(node --version | tr -d v)" \
  --change "LABEL replimq.base.node-sha256=$NODE_SUM" \
  --change 'CMD ["node"]' \
  - "$IMAGE" >/dev/null

echo "built $IMAGE from $NODE_BIN ($(node --version)) in $(elapsed_ms) ms"
