/**
 * `GET /` on the admin port: a small live page of this node, its cluster and its queues, in the
 * spirit of ElasticMQ's UI. It is one static document (no build step, no assets, no external
 * scripts: the machines it runs on often reach no CDN) that polls the JSON endpoints next to it
 * (`/cluster`, `/queues`) once a second, so it shows exactly what those endpoints say.
 */
import type { AdminRoute } from './admin-route.js';

const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>replimq</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2430; background: #f7f8fa; }
  h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
  h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
  .sub { color: #5b6675; margin-bottom: 1rem; }
  table { border-collapse: collapse; background: #fff; min-width: 40rem; }
  th, td { border: 1px solid #d9dee5; padding: .3rem .6rem; text-align: left; }
  th { background: #eef1f5; font-weight: 600; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .leader { color: #0a7a2f; font-weight: 600; }
  .bad { color: #b3261e; font-weight: 600; }
  .muted { color: #8a94a3; }
</style>
</head>
<body>
<h1>replimq <span id="node"></span></h1>
<div class="sub" id="summary">loading…</div>
<h2>Cluster</h2>
<table id="peers"><thead><tr><th>peer</th><th>address</th><th>connected</th><th>match index</th><th>lag (entries)</th><th>last contact</th></tr></thead><tbody></tbody></table>
<h2>Queues</h2>
<table id="queues"><thead><tr><th>name</th><th>account</th><th>region</th><th>type</th><th>visible</th><th>in flight</th><th>delayed</th><th>dead-letter target</th><th>URL</th></tr></thead><tbody></tbody></table>
<script>
  const text = (value) => document.createTextNode(value === undefined || value === null ? '—' : String(value));
  function row(cells, numeric) {
    const tr = document.createElement('tr');
    cells.forEach((cell, i) => {
      const td = document.createElement('td');
      if (numeric.includes(i)) td.className = 'n';
      if (cell instanceof Node) td.appendChild(cell); else td.appendChild(text(cell));
      tr.appendChild(td);
    });
    return tr;
  }
  function span(value, className) {
    const s = document.createElement('span');
    s.className = className;
    s.textContent = value;
    return s;
  }
  function fill(id, rows) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren(...rows);
  }
  async function refresh() {
    try {
      const [cluster, queues] = await Promise.all([
        fetch('cluster').then((r) => r.json()),
        fetch('queues').then((r) => r.json()),
      ]);
      document.getElementById('node').textContent = '· node ' + cluster.nodeId;
      const role = cluster.role === 'leader' ? span('leader', 'leader') : text(cluster.role);
      const summary = document.getElementById('summary');
      summary.replaceChildren(
        role,
        text(' · term ' + cluster.term + ' · leader ' + (cluster.leaderId ?? 'unknown') +
          ' · applied ' + cluster.appliedIndex + ' · committed ' + cluster.commitIndex),
        ...(cluster.diverged ? [text(' · '), span('diverged, waiting for a snapshot', 'bad')] : []),
      );
      fill('peers', (cluster.peers ?? []).map((peer) => row([
        peer.id,
        peer.address,
        peer.connected ? 'yes' : span('no', 'bad'),
        peer.matchIndex,
        peer.lag,
        peer.lastContactMs === null || peer.lastContactMs === undefined ? undefined : peer.lastContactMs + ' ms ago',
      ], [3, 4])));
      if ((cluster.peers ?? []).length === 0) fill('peers', [row([span('single node: no peers', 'muted'), '', '', '', '', ''], [])]);
      fill('queues', queues.queues.map((q) => row([
        q.name, q.accountId, q.region, q.fifo ? 'FIFO' : 'standard', q.visible, q.inFlight, q.delayed,
        q.deadLetterTargetArn ? q.deadLetterTargetArn.split(':').pop() : undefined, q.url,
      ], [4, 5, 6])));
      if (queues.queues.length === 0) fill('queues', [row([span('no queues yet', 'muted'), '', '', '', '', '', '', '', ''], [])]);
    } catch (error) {
      document.getElementById('summary').replaceChildren(span('node unreachable: ' + error.message, 'bad'));
    }
  }
  refresh();
  setInterval(refresh, 1000);
</script>
</body>
</html>
`;

export function dashboardRoutes(): AdminRoute[] {
  const page = { status: 200, contentType: 'text/html; charset=utf-8', body: DASHBOARD_HTML };
  return [
    { method: 'GET', path: '/', handle: () => page },
    { method: 'GET', path: '/ui', handle: () => page },
  ];
}
