#!/usr/bin/env bash
# Build the replimq image (`replimq:local`) on the local base image, from a checkout where
# `npm ci && npm run build` has run. No registry is needed.
#
# The context is staged in a temporary directory with the repository's layout: the built server
# (server/{package.json,bin,dist}, proto/) and only the server's production dependencies, taken
# from the checkout's node_modules (so better-sqlite3 is the one the host's node compiled, which
# is the node inside replimq-base:local). It is built as the Dockerfile's `prebuilt` target.
#
# Environment: REPLIMQ_IMAGE (default replimq:local), BASE_IMAGE (default replimq-base:local, made
# by make-base-image.sh when missing), REPLIMQ_SOURCE_DIR (default: this repository).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=${REPLIMQ_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
IMAGE=${REPLIMQ_IMAGE:-replimq:local}
BASE_IMAGE=${BASE_IMAGE:-replimq-base:local}
DOCKERFILE="$here/../../server/Dockerfile"
started_at=$(date +%s%N)
elapsed_ms() { echo $(( ($(date +%s%N) - started_at) / 1000000 )); }

for required in server/package.json server/bin server/dist; do
  if [ ! -e "$SOURCE_DIR/$required" ]; then
    echo "missing $SOURCE_DIR/$required: run 'npm ci && npm run build' first" >&2
    exit 1
  fi
done

if [ "$BASE_IMAGE" = "replimq-base:local" ]; then
  "$here/make-base-image.sh" "$BASE_IMAGE"
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT

mkdir -p "$context/server" "$context/node_modules"
cp "$SOURCE_DIR/server/package.json" "$context/server/"
cp -r "$SOURCE_DIR/server/bin" "$SOURCE_DIR/server/dist" "$context/server/"
find "$context/server/dist" -name '*.tsbuildinfo' -delete
for protos in proto server/proto; do
  if [ -d "$SOURCE_DIR/$protos" ]; then mkdir -p "$context/$protos" && cp -r "$SOURCE_DIR/$protos/." "$context/$protos/"; fi
done

# The production dependency closure of the server workspace, as npm resolved it in the checkout.
# Packages are copied at the same relative path (hoisted ones under node_modules/, the server's
# own under server/node_modules/), so module resolution in the image is the checkout's.
# npm ls fails on a node_modules that does not match the lockfile: say so, instead of dying silently
# inside the pipeline below (the image would not hold what the lockfile promises).
if ! closure=$(cd "$SOURCE_DIR" && npm ls --omit=dev --workspace=server --all --parseable 2>"$context/npm-ls.err"); then
  echo "node_modules in $SOURCE_DIR does not match package-lock.json (run npm ci); npm ls said:" >&2
  grep -v '^npm error A complete log' "$context/npm-ls.err" >&2 || true
  exit 1
fi
rm -f "$context/npm-ls.err"
printf '%s\n' "$closure" \
  | sed -n "s|^$SOURCE_DIR/||p" \
  | grep -E '(^|/)node_modules/' \
  | grep -vE '^node_modules/(replimq|replimq-testkit)$|/@types/' \
  | sort -u \
  | while read -r package; do
      # Without its nested node_modules: those that are production dependencies have entries of
      # their own in the list (and anything else there stays out).
      mkdir -p "$context/$package"
      tar -C "$SOURCE_DIR/$package" --exclude=./node_modules -cf - . | tar -C "$context/$package" -xf -
    done

# better-sqlite3 needs only its JavaScript and the compiled addon at run time (drop the SQLite
# sources and build intermediates: about 20 MB).
sqlite="$context/node_modules/better-sqlite3"
if [ -d "$sqlite" ]; then
  find "$sqlite" -mindepth 1 -maxdepth 1 ! -name lib ! -name build ! -name package.json ! -name LICENSE -exec rm -rf {} +
  find "$sqlite/build" -mindepth 1 -maxdepth 2 ! -path "$sqlite/build/Release" ! -name better_sqlite3.node -exec rm -rf {} + 2>/dev/null || true
fi

echo "staged context: $(du -sh "$context" | cut -f1) ($(elapsed_ms) ms)"
docker build --quiet --target prebuilt --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  -f "$DOCKERFILE" -t "$IMAGE" "$context" >/dev/null
echo "built $IMAGE on $BASE_IMAGE in $(elapsed_ms) ms"
