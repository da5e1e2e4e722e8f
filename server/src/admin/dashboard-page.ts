/**
 * `GET /` on the admin port: a page to watch this node, its cluster and its queues, and to work
 * with a queue, in the spirit of ElasticMQ's UI. It is one static document (no build step, no
 * assets, no external scripts: the machines it runs on often reach no CDN).
 *
 * It watches by polling the JSON endpoints next to it (`/cluster`, `/queues`) once a second, and
 * works through `POST /sqs` (sqs-action-routes.ts) alone: peeking at a queue's messages, sending
 * one, deleting one, purging, starting a dead-letter redrive are SQS actions (or replimq's own
 * PeekMessages / DeleteMessageById) run through the node's SQS service, the path an SQS client's
 * request takes — forwarded to the leader, replicated with the queue's ack mode.
 *
 * Every request goes through one `api()` helper. With an admin token set, the page is opened once
 * as `/?token=…` (admin-auth.ts) and its calls carry the cookie; a 401 (cookie gone, token
 * changed) reloads the page, which then shows the sign-in form.
 * Message bodies and attributes are whatever senders sent: they are only ever written with
 * `textContent` / text nodes, never parsed as HTML.
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
  h3 { font-size: .95rem; margin: 1rem 0 .4rem; }
  .sub { color: #5b6675; margin-bottom: 1rem; }
  table { border-collapse: collapse; background: #fff; min-width: 40rem; }
  th, td { border: 1px solid #d9dee5; padding: .3rem .6rem; text-align: left; vertical-align: top; }
  th { background: #eef1f5; font-weight: 600; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  tr.selected td { background: #eef5ff; }
  pre { margin: 0; max-width: 40rem; max-height: 12rem; overflow: auto; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
  button { font: inherit; cursor: pointer; }
  form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; background: #fff; border: 1px solid #d9dee5; padding: .6rem; max-width: 60rem; }
  label { display: flex; flex-direction: column; font-size: 12px; color: #5b6675; }
  textarea { min-width: 24rem; min-height: 3rem; font: 12px ui-monospace, monospace; }
  #queue-panel[hidden] { display: none; }
  .actions { display: flex; gap: .5rem; margin: .5rem 0; }
  .leader { color: #0a7a2f; font-weight: 600; }
  .bad { color: #b3261e; font-weight: 600; }
  .ok { color: #0a7a2f; }
  .muted { color: #8a94a3; }
</style>
</head>
<body>
<h1>replimq <span id="node"></span></h1>
<div class="sub" id="summary">loading…</div>
<h2>Cluster</h2>
<table id="peers"><thead><tr><th>peer</th><th>address</th><th>connected</th><th>match index</th><th>lag (entries)</th><th>last contact</th></tr></thead><tbody></tbody></table>
<h2>Queues</h2>
<table id="queues"><thead><tr><th>name</th><th>type</th><th>visible</th><th>in flight</th><th>delayed</th><th>dead-letter target</th><th>URL</th></tr></thead><tbody></tbody></table>
<section id="queue-panel" hidden>
  <h2>Queue <span id="queue-name"></span></h2>
  <div class="sub" id="queue-url"></div>
  <div class="actions">
    <button type="button" id="refresh-messages">Refresh messages</button>
    <button type="button" id="purge">Purge queue</button>
    <button type="button" id="redrive" hidden>Start redrive to source queues</button>
  </div>
  <div id="status" role="status"></div>
  <h3>Send a message</h3>
  <form id="send-form">
    <label>body <textarea name="body" required></textarea></label>
    <label>delay (s) <input name="delay" type="number" min="0" max="900" size="4"></label>
    <label class="fifo-only">group id <input name="group" size="12"></label>
    <label class="fifo-only">deduplication id <input name="dedup" size="12"></label>
    <label>attribute name <input name="attrName" size="10"></label>
    <label>attribute value <input name="attrValue" size="12"></label>
    <button type="submit">Send</button>
  </form>
  <h3>Messages <span id="messages-shown"></span> <span class="muted">(a peek: nothing is received, no visibility or receive count changes)</span></h3>
  <table id="messages"><thead><tr><th>message id</th><th>state</th><th>receives</th><th>sent</th><th>body</th><th>attributes</th><th></th></tr></thead><tbody></tbody></table>
  <h3>Redrive tasks</h3>
  <table id="move-tasks"><thead><tr><th>status</th><th>moved</th><th>to move</th><th>destination</th><th>started</th></tr></thead><tbody></tbody></table>
</section>
<script>
  'use strict';
  // The one way this page talks to the node: a bearer token or any other header goes here.
  async function api(path, init) {
    const response = await fetch(path, init);
    if (response.status === 401) { location.reload(); throw new Error('the admin token is needed'); }
    const body = await response.json();
    return { ok: response.ok, status: response.status, body };
  }
  // One SQS action through the node's service (POST /sqs): resolves with its output, rejects
  // with the SQS error.
  async function sqs(action, input) {
    const answer = await api('sqs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, input }) });
    if (!answer.ok) {
      const error = answer.body && answer.body.error ? answer.body.error : { code: 'HTTP ' + answer.status, message: '' };
      throw new Error(error.code + ': ' + error.message);
    }
    return answer.body.output;
  }

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
  function button(label, onClick, attributes) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    for (const [name, value] of Object.entries(attributes || {})) b.setAttribute(name, value);
    b.addEventListener('click', onClick);
    return b;
  }
  function pre(value) {
    const p = document.createElement('pre');
    p.textContent = value;
    return p;
  }
  function fill(id, rows) {
    document.querySelector('#' + id + ' tbody').replaceChildren(...rows);
  }
  function showStatus(message, bad) {
    const status = document.getElementById('status');
    status.replaceChildren(span(message, bad ? 'bad' : 'ok'));
  }

  // A deep queue is shown by its oldest messages: the page must stay usable at a million.
  const PAGE_SIZE = 100;
  let queues = [];
  let selected;

  async function refresh() {
    try {
      const [cluster, listed] = await Promise.all([api('cluster'), api('queues')]);
      renderCluster(cluster.body);
      queues = listed.body.queues;
      renderQueues();
    } catch (error) {
      document.getElementById('summary').replaceChildren(span('node unreachable: ' + error.message, 'bad'));
    }
  }

  function renderCluster(cluster) {
    document.getElementById('node').textContent = '· node ' + cluster.nodeId;
    const role = cluster.role === 'leader' ? span('leader', 'leader') : text(cluster.role);
    document.getElementById('summary').replaceChildren(
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
  }

  function renderQueues() {
    fill('queues', queues.map((q) => {
      const open = button(q.name, () => select(q.url), { 'data-queue': q.name, title: 'open ' + q.name });
      const tr = row([
        open, q.fifo ? 'FIFO' : 'standard', q.visible, q.inFlight, q.delayed,
        q.deadLetterTargetArn ? q.deadLetterTargetArn.split(':').pop() : undefined, q.url,
      ], [2, 3, 4]);
      if (selected && q.url === selected.url) tr.className = 'selected';
      return tr;
    }));
    if (queues.length === 0) fill('queues', [row([span('no queues yet', 'muted'), '', '', '', '', '', ''], [])]);
    if (selected) {
      const current = queues.find((q) => q.url === selected.url);
      if (current) { selected = current; renderPanelHeader(); }
    }
  }

  function isDeadLetterQueue(queue) {
    return queue.arn !== undefined && queues.some((q) => q.deadLetterTargetArn === queue.arn);
  }

  function renderPanelHeader() {
    document.getElementById('queue-panel').hidden = false;
    document.getElementById('queue-name').textContent = selected.name;
    document.getElementById('queue-url').textContent = selected.url + (selected.arn ? ' · ' + selected.arn : '');
    document.getElementById('redrive').hidden = !isDeadLetterQueue(selected);
    for (const label of document.querySelectorAll('.fifo-only')) label.hidden = !selected.fifo;
  }

  async function select(url) {
    selected = queues.find((q) => q.url === url);
    if (!selected) return;
    document.getElementById('status').replaceChildren();
    renderQueues();
    renderPanelHeader();
    await loadMessages();
  }

  function stateOf(attributes) {
    if (attributes.IsDelayed === 'true') return 'delayed';
    return attributes.IsVisible === 'true' ? 'visible' : 'in flight';
  }

  async function loadMessages() {
    if (!selected) return;
    const queueUrl = selected.url;
    try {
      const [peeked, tasks] = await Promise.all([
        sqs('PeekMessages', { QueueUrl: queueUrl, ShowInvisible: true, ShowDelayed: true, MaxNumberOfMessages: PAGE_SIZE }),
        selected.arn ? sqs('ListMessageMoveTasks', { SourceArn: selected.arn }).catch(() => ({ Results: [] })) : { Results: [] },
      ]);
      if (!selected || selected.url !== queueUrl) return;
      const messages = peeked.Messages ?? [];
      fill('messages', messages.map((m) => {
        const attributes = m.Attributes ?? {};
        const shown = Object.entries(attributes).filter(([name]) => name !== 'IsVisible' && name !== 'IsDelayed')
          .map(([name, value]) => name + ' = ' + value);
        for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
          shown.push(name + ' (' + value.DataType + ') = ' + (value.StringValue ?? value.BinaryValue ?? ''));
        }
        const tr = row([
          m.MessageId, stateOf(attributes), attributes.ApproximateReceiveCount,
          attributes.SentTimestamp ? new Date(Number(attributes.SentTimestamp)).toISOString() : undefined,
          pre(m.Body), pre(shown.join('\\n')),
          button('Delete', () => deleteMessage(queueUrl, m.MessageId), { 'data-delete': m.MessageId }),
        ], [2]);
        tr.setAttribute('data-message-id', m.MessageId);
        return tr;
      }));
      if (messages.length === 0) fill('messages', [row([span('no messages', 'muted'), '', '', '', '', '', ''], [])]);
      const total = selected.visible + selected.inFlight + selected.delayed;
      document.getElementById('messages-shown').textContent = messages.length === PAGE_SIZE
        ? 'the first ' + PAGE_SIZE + ' of ' + total
        : '';
      fill('move-tasks', (tasks.Results ?? []).map((t) => row([
        t.Status, t.ApproximateNumberOfMessagesMoved, t.ApproximateNumberOfMessagesToMove,
        t.DestinationArn ? t.DestinationArn.split(':').pop() : 'source queues',
        new Date(t.StartedTimestamp).toISOString(),
      ], [1, 2])));
    } catch (error) {
      showStatus(error.message, true);
    }
  }

  async function act(done, work) {
    try {
      await work();
      showStatus(done, false);
    } catch (error) {
      showStatus(error.message, true);
    }
    await Promise.all([loadMessages(), refresh()]);
  }

  function deleteMessage(queueUrl, messageId) {
    return act('deleted ' + messageId, () => sqs('DeleteMessageById', { QueueUrl: queueUrl, MessageId: messageId }));
  }

  document.getElementById('refresh-messages').addEventListener('click', () => loadMessages());
  document.getElementById('purge').addEventListener('click', () => {
    if (!selected || !confirm('Purge every message of ' + selected.name + '?')) return;
    const queueUrl = selected.url;
    return act('purged', () => sqs('PurgeQueue', { QueueUrl: queueUrl }));
  });
  document.getElementById('redrive').addEventListener('click', () => {
    if (!selected) return;
    const sourceArn = selected.arn;
    return act('redrive started', async () => {
      const { TaskHandle } = await sqs('StartMessageMoveTask', { SourceArn: sourceArn });
      return TaskHandle;
    });
  });
  document.getElementById('send-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!selected) return;
    const form = event.target.elements;
    const input = { QueueUrl: selected.url, MessageBody: form.body.value };
    if (form.delay.value !== '') input.DelaySeconds = Number(form.delay.value);
    if (selected.fifo && form.group.value !== '') input.MessageGroupId = form.group.value;
    if (selected.fifo && form.dedup.value !== '') input.MessageDeduplicationId = form.dedup.value;
    if (form.attrName.value !== '') {
      input.MessageAttributes = { [form.attrName.value]: { DataType: 'String', StringValue: form.attrValue.value } };
    }
    return act('sent', async () => {
      const { MessageId } = await sqs('SendMessage', input);
      form.body.value = '';
      return MessageId;
    });
  });

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
