#!/usr/bin/env bash
# The packages as a new user gets them: both workspaces packed with `npm pack` (which must leave
# the tree as it found it), each tarball carrying LICENSE and README, both installed into an
# empty project outside the repository; there, `npx replimq` runs a node, the testkit a 3-node
# cluster on the process runtime and, where a Docker engine answers, `new ReplimqCluster(3).start()`
# in containers, on an image the testkit builds from the packed `replimq` package (a tag of this
# run's own, removed after).
# Needs `npm run build` first; the install compiles better-sqlite3 (most of the time taken).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
image="replimq:packed-check-$$"
started_at=$(date +%s%N)
elapsed_ms() { echo $(( ($(date +%s%N) - started_at) / 1000000 )); }
cleanup() {
  docker image rm "$image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "packed-install-check: $*" >&2; exit 1; }

before=$(git status --porcelain --untracked-files=all)
npm pack --silent --workspace server --workspace client --pack-destination "$work" >/dev/null
after=$(git status --porcelain --untracked-files=all)
[ "$before" = "$after" ] || fail "npm pack changed the tree:"$'\n'"$(diff <(echo "$before") <(echo "$after") || true)"

server_tgz=$(ls "$work"/replimq-[0-9]*.tgz)
client_tgz=$(ls "$work"/replimq-testkit-[0-9]*.tgz)
# (Listed to a file: `grep -q` on a pipe would end tar early, and pipefail would blame tar.)
tar -tzf "$server_tgz" >"$work/server.list"
tar -tzf "$client_tgz" >"$work/client.list"
for entry in LICENSE README.md package.json Dockerfile proto/replication.proto proto/discovery.proto bin/replimq.js dist/main.js dist/bundle/main.js dist/index.d.ts; do
  grep -qx "package/$entry" "$work/server.list" || fail "$(basename "$server_tgz") lacks $entry"
done
for entry in LICENSE README.md package.json dist/index.js dist/index.d.ts; do
  grep -qx "package/$entry" "$work/client.list" || fail "$(basename "$client_tgz") lacks $entry"
done
if grep -q '\.tsbuildinfo$' "$work/server.list" "$work/client.list"; then fail "a tarball ships a .tsbuildinfo"; fi
echo "packed $(basename "$server_tgz") and $(basename "$client_tgz"), tree untouched ($(elapsed_ms) ms)"

project="$work/project"
mkdir -p "$project"
cd "$project"
echo '{ "name": "packed-install-check", "private": true, "type": "module" }' >package.json
# Install scripts are skipped (the others are optional: ssh2's cpu-features, protobufjs' notice).
# better-sqlite3's is the one that matters: for the very version CI has just compiled (npm ci)
# its addon is copied, since compiling SQLite again takes minutes on a loaded machine and tests
# nothing of ours; any other version is compiled here.
npm install --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error "$server_tgz" "$client_tgz" >/dev/null
sqlite_version() { node -p "require('$1/package.json').version" 2>/dev/null || true; }
installed="$project/node_modules/better-sqlite3"
built="$repo/node_modules/better-sqlite3"
if [ -f "$built/build/Release/better_sqlite3.node" ] && [ "$(sqlite_version "$installed")" = "$(sqlite_version "$built")" ]; then
  mkdir -p "$installed/build/Release"
  cp "$built/build/Release/better_sqlite3.node" "$installed/build/Release/"
else
  npm rebuild better-sqlite3 --loglevel=error >/dev/null
fi
echo "installed both into an empty project ($(elapsed_ms) ms)"

# A node through the package's bin, on free ports.
node --input-type=module -e '
  import { spawn } from "node:child_process";
  import { createServer } from "node:net";
  const free = () => new Promise((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
  const [sqs, admin, grpc] = [await free(), await free(), await free()];
  // Its own process group, stopped as a whole as Ctrl-C would: a SIGTERM to npx alone left the
  // replimq process it started running after this check (orphaned, holding its ports).
  const node = spawn("npx", ["replimq", "--sqs-port", sqs, "--admin-port", admin, "--grpc-port", grpc, "--bind", "127.0.0.1"], { stdio: ["ignore", "ignore", "inherit"], detached: true });
  const stop = (signal) => { try { process.kill(-node.pid, signal); } catch {} };
  const exited = new Promise((resolve) => node.on("exit", resolve));
  try {
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`http://127.0.0.1:${admin}/health`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || node.exitCode !== null) throw new Error("npx replimq did not become healthy");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const answer = await fetch(`http://127.0.0.1:${sqs}/`, { method: "POST", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.CreateQueue" }, body: JSON.stringify({ QueueName: "packed" }) });
    if (!answer.ok) throw new Error(`CreateQueue answered ${answer.status}`);
  } catch (error) {
    stop("SIGKILL");
    throw error;
  }
  stop("SIGTERM");
  await exited;
  // The group is gone once no member is left to signal; a node that ignores SIGTERM fails the check.
  const stopBy = Date.now() + 10_000;
  for (;;) {
    try { process.kill(-node.pid, 0); } catch { break; }
    if (Date.now() > stopBy) { stop("SIGKILL"); throw new Error("npx replimq did not stop on SIGTERM"); }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
'
echo "npx replimq ran a node ($(elapsed_ms) ms)"

cat >check.mjs <<'SCRIPT'
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ReplimqCluster, isDockerReachable } from 'replimq-testkit';

async function roundTrip(sqs, name) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: name }));
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
  if (Messages?.[0]?.Body !== name) throw new Error(`${name}: received ${JSON.stringify(Messages)}`);
}

// Plain JavaScript on Node 20: no `await using` yet.
if (process.argv[2] === 'cluster') {
  const cluster = await new ReplimqCluster(3).withRuntime('process').start();
  try {
    await roundTrip((await cluster.leader()).sqsClient(), 'cluster');
  } finally {
    await cluster.stop();
  }
} else if (await isDockerReachable()) {
  // The README's line, as is: the auto runtime, the image (REPLIMQ_IMAGE) built on first use.
  const cluster = await new ReplimqCluster(3).start();
  try {
    if (cluster.runtimeKind !== 'container') throw new Error(`auto chose ${cluster.runtimeKind} though Docker answers`);
    await roundTrip((await cluster.leader()).sqsClient(), 'containers');
    console.log(`3 containers on ${process.env.REPLIMQ_IMAGE}, built from the packed package`);
  } finally {
    await cluster.stop();
  }
} else {
  console.log('no Docker engine');
}
SCRIPT
node check.mjs cluster
echo "the testkit ran a 3-node cluster on the process runtime ($(elapsed_ms) ms)"
outcome=$(REPLIMQ_IMAGE="$image" node check.mjs containers)
echo "the testkit ran a cluster on Docker: ${outcome} ($(elapsed_ms) ms)"
cd "$repo"
