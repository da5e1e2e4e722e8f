#!/usr/bin/env bash
# CI check of examples/compose/docker-compose.yml: `config` validates it, then the cluster starts
# for real (image: the testkit's default, which CI built), the three nodes find each other by DNS
# (--discover) and form one cluster (each one's log says so, /cluster names the same leader and
# all three members), a message sent to n1 is received from n3, n2 is restarted and comes back
# as the same member with the data it had (a message sent before is received from it), and
# `down -v` removes it all. Needs docker-compose (Debian's
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
export REPLIMQ_ADMIN_TOKEN="compose-check-admin-$RANDOM$RANDOM"
for node in N1 N2 N3; do
  export "${node}_SQS_PORT=$(free_port)" "${node}_ADMIN_PORT=$(free_port)"
done

"${compose[@]}" -f "$FILE" -p "$project" config -q
echo "compose file valid ($(elapsed_ms) ms)"

cleanup() { "${compose[@]}" -f "$FILE" -p "$project" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT
"${compose[@]}" -f "$FILE" -p "$project" up -d

# Waits for every admin port to say healthy and for one leader over all three members; prints it.
wait_formed() {
  node --input-type=module -e '
    const admins = process.argv.slice(1);
    const deadline = Date.now() + 90_000;
    // An unsettled await would end node with status 13 and no word: keep the loop alive.
    const keepAlive = setInterval(() => {}, 1_000);
    const headers = { authorization: `Bearer ${process.env.REPLIMQ_ADMIN_TOKEN}` };
    const get = (admin, path) => fetch(`http://127.0.0.1:${admin}${path}`, { headers, signal: AbortSignal.timeout(2_000) });
    for (;;) {
      const views = await Promise.all(admins.map(async (admin) => {
        const health = await get(admin, "/health").then((r) => r.status, () => 0);
        return health === 200 ? get(admin, "/cluster").then((r) => r.json(), () => undefined) : undefined;
      }));
      const leader = views[0]?.leaderId;
      const members = (view) => [view.nodeId, ...view.peers.map((peer) => peer.id)].sort().join(",");
      if (leader && views.every((view) => view && view.leaderId === leader && members(view) === "n1,n2,n3")) {
        console.log(leader);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no cluster of n1, n2, n3 with one leader within 90 s: ${JSON.stringify(views)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    clearInterval(keepAlive);
  ' "$N1_ADMIN_PORT" "$N2_ADMIN_PORT" "$N3_ADMIN_PORT"
}

# sqs <port> <action> <json>: one SQS JSON call, its answer on stdout.
sqs() {
  node --input-type=module -e '
    const [port, action, body] = process.argv.slice(1);
    const r = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${action}: ${r.status} ${text}`);
    console.log(text);
  ' "$@"
}

leader=$(wait_formed)
for service in n1 n2 n3; do
  # Logs into a variable first: `grep -q` leaving a pipe early would fail it under pipefail.
  log=$("${compose[@]}" -f "$FILE" -p "$project" logs "$service")
  grep -q 'cluster formed' <<<"$log" || { echo "$service did not form through discovery" >&2; exit 1; }
done
echo "compose cluster: n1, n2, n3 found each other by DNS and formed one cluster, leader $leader ($(elapsed_ms) ms)"

queue_url=$(sqs "$N1_SQS_PORT" CreateQueue '{"QueueName":"compose-check"}' | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).QueueUrl))')
sqs "$N1_SQS_PORT" SendMessage "{\"QueueUrl\":\"$queue_url\",\"MessageBody\":\"through the cluster\"}" >/dev/null
kept_url=$(sqs "$N1_SQS_PORT" CreateQueue '{"QueueName":"compose-check-restart"}' | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).QueueUrl))')
sqs "$N1_SQS_PORT" SendMessage "{\"QueueUrl\":\"$kept_url\",\"MessageBody\":\"kept across a restart\"}" >/dev/null
received=$(sqs "$N3_SQS_PORT" ReceiveMessage "{\"QueueUrl\":\"$queue_url\",\"WaitTimeSeconds\":5}")
echo "$received" | grep -q '"Body":"through the cluster"' || { echo "n3 received $received" >&2; exit 1; }
echo "compose cluster: a message sent to n1 received from n3 ($(elapsed_ms) ms)"

"${compose[@]}" -f "$FILE" -p "$project" restart n2
wait_formed >/dev/null
log=$("${compose[@]}" -f "$FILE" -p "$project" logs n2)
grep -q 'bootstrap record' <<<"$log" || { echo "n2 did not come back from its bootstrap record" >&2; exit 1; }
received=$(sqs "$N2_SQS_PORT" ReceiveMessage "{\"QueueUrl\":\"$kept_url\",\"WaitTimeSeconds\":5}")
echo "$received" | grep -q '"Body":"kept across a restart"' || { echo "after its restart n2 received $received" >&2; exit 1; }
echo "compose cluster: n2 restarted, rejoined as the same member, the data survived ($(elapsed_ms) ms)"
