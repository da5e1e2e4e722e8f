#!/usr/bin/env bash
# Build the replimq image from this checkout (where `npm ci && npm run build` has run), with the
# testkit's own builder (client/src/image-build.ts) — the one that builds the image on first use
# in any project: the Dockerfile and server shipped in the `replimq` package, on a public Node base
# where a registry answers, else on a base made from this machine's node (no registry needed).
#
# Environment: REPLIMQ_IMAGE (default replimq:<version>), REPLIMQ_BASE_IMAGE (default: see above).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
client="$here/../../client/dist/index.js"
if [ ! -f "$client" ]; then
  echo "missing $client: run 'npm ci && npm run build' first" >&2
  exit 1
fi
node --input-type=module -e '
  const testkit = await import(process.argv[1]);
  await testkit.buildReplimqImage(process.env.REPLIMQ_IMAGE || testkit.DEFAULT_IMAGE);
' "$client"
