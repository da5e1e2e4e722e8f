#!/usr/bin/env bash
# CI check of examples/compose/docker-compose.yml: `config` validates it, then the cluster starts
# for real (image: the testkit's default, which CI built), every node reports healthy, a message
# sent to n1 is received from n3, and `down -v` removes it all. Needs docker-compose (Debian's
# package) or the compose plugin; host ports are picked free, the project name is this run's own.
set -euo pipefail

cd "$(dirname "$0")/.."
FILE=examples/compose/docker-compose.yml
if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
project="replimq-compose-check-$$"
started_at=$(date +%s%N)
elapsed_ms() { echo $(( ($(date +%s%N) - started_at) / 1000000 )); }

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
export REPLIMQ_CLUSTER_SECRET="compose-check-$RANDOM$RANDOM"
for node in N1 N2 N3; do
  export "${node}_SQS_PORT=$(free_port)" "${node}_ADMIN_PORT=$(free_port)"
done

"${compose[@]}" -f "$FILE" -p "$project" config -q
echo "compose file valid ($(elapsed_ms) ms)"

cleanup() { "${compose[@]}" -f "$FILE" -p "$project" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT
"${compose[@]}" -f "$FILE" -p "$project" up -d

node --input-type=module -e '
  const [n1Sqs, n3Sqs, ...admins] = process.argv.slice(1);
  const deadline = Date.now() + 60_000;
  // An unsettled await would end node with status 13 and no word: keep the loop alive.
  const keepAlive = setInterval(() => {}, 1_000);
  for (const admin of admins) {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${admin}/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`node on admin port ${admin} not healthy within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const sqs = (port, action, body) =>
    fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    }).then(async (r) => { if (!r.ok) throw new Error(`${action}: ${r.status} ${await r.text()}`); return r.json(); });
  const { QueueUrl } = await sqs(n1Sqs, "CreateQueue", { QueueName: "compose-check" });
  await sqs(n1Sqs, "SendMessage", { QueueUrl, MessageBody: "through the cluster" });
  const { Messages } = await sqs(n3Sqs, "ReceiveMessage", { QueueUrl, WaitTimeSeconds: 5 });
  if (Messages?.[0]?.Body !== "through the cluster") throw new Error(`n3 received ${JSON.stringify(Messages)}`);
  clearInterval(keepAlive);
' "$N1_SQS_PORT" "$N3_SQS_PORT" "$N1_ADMIN_PORT" "$N2_ADMIN_PORT" "$N3_ADMIN_PORT"
echo "compose cluster: 3 nodes healthy, a message sent to n1 received from n3 ($(elapsed_ms) ms)"
