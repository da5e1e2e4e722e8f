/**
 * The experiment's report as one self-contained HTML page: no network, no CDN. The verdict, each
 * ack mode's promise next to what it kept, convergence, the faults, and three plots (throughput,
 * latency, errors per node over time, fault windows shaded) that an inline script draws as SVG
 * from the data embedded in the page.
 */
import { ACK_MODE_PROMISES } from './promises.js';
import type { AckModeSummary } from './summary.js';
import { drawPlots } from './report-draw.js';
import { plotData } from './report-data.js';
import type { ReportSubject } from './report.js';

export function renderReportPage(result: ReportSubject): string {
  const { summary, options, history } = result;
  const modes = Object.values(summary.byAckMode) as AckModeSummary[];
  const verdict = summary.promisesKept ? 'Every ack mode kept its promise' : 'A promise was broken';
  const data = plotData(history, options.nodes);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>replimq experiment, seed ${options.seed}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1100px; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
  table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; vertical-align: top; }
  th { background: #f4f4f4; } td.text, th.text { text-align: left; max-width: 420px; } td.promise { min-width: 300px; }
  .kept { color: #1a7f37; font-weight: bold; } .broken { color: #cf222e; font-weight: bold; } .reported { color: #9a6700; }
  .verdict { font-size: 16px; padding: 8px 12px; border-radius: 4px; display: inline-block; }
  .verdict.kept { background: #dafbe1; } .verdict.broken { background: #ffebe9; }
  svg.plot { display: block; margin: 4px 0 16px; background: #fff; border: 1px solid #ddd; }
  svg .fault { fill: #cf222e; fill-opacity: 0.12; } svg .drain { fill: #0969da; fill-opacity: 0.07; }
  svg .axis { stroke: #888; } svg .tick, svg .unit { font-size: 11px; fill: #555; }
  svg .series { stroke-width: 1.6; } svg .series.dashed { stroke-dasharray: 4 3; stroke-width: 1.1; }
  .legend-item { margin-right: 14px; font-weight: bold; }
  code { background: #f4f4f4; padding: 0 3px; }
</style>
</head>
<body>
<h1>replimq experiment — seed ${options.seed}</h1>
<p>${options.nodes} nodes, ${escape(options.storage)} storage, ${(options.durationMs / 1000).toFixed(0)} s of workload
(${options.workload.producers} producers, ${options.workload.consumers} consumers, ${options.workload.rate} sends/s),
faults drawn from ${options.nemesis.faults.length ? options.nemesis.faults.map((kind) => `<code>${escape(kind)}</code>`).join(', ') : 'none'}.
Replay with <code>seed: ${options.seed}</code>.</p>
<p class="verdict ${summary.promisesKept ? 'kept' : 'broken'}" id="verdict">${verdict}${summary.converged ? '' : ' — the nodes did not converge'}</p>

<h2>Ack modes: promise and what was kept</h2>
<table id="modes">
<tr><th class="text">ack mode</th><th class="text">promise</th><th class="text">kept</th><th>acked</th><th>lost</th><th>recovered</th><th>unknown</th><th>unexpected</th><th>phantoms</th><th>duplicates</th><th>redelivered after delete</th><th>FIFO order</th><th>dedup</th><th>corrupted</th></tr>
${modes.map(modeRow).join('\n')}
</table>
<p>lost: acknowledged, never delivered. recovered: unknown outcome, delivered after all. unexpected: failed for certain, delivered.
phantoms: delivered, never sent. duplicates: deliveries beyond the first (at-least-once: reported, not a violation);
redelivered after delete: delivered again after a delete acknowledged within the visibility timeout.</p>

<h2>Convergence</h2>
<p id="convergence" class="${summary.converged ? 'kept' : 'broken'}">${summary.converged ? 'Every node holds the same state (equal state digests at one applied index).' : 'The nodes did not converge.'}
${summary.drained ? '' : ` Queues not drained: ${summary.undrainedQueues.map(escape).join(', ')}.`}</p>
<table>
<tr><th class="text">node</th><th>applied index</th><th class="text">state digest</th><th>records</th></tr>
${summary.digests.map((node) => `<tr><td class="text">${escape(node.nodeId)}</td><td>${node.appliedIndex ?? ''}</td><td class="text"><code>${escape(node.digest?.slice(0, 16) ?? node.error ?? '')}</code></td><td>${node.records ?? ''}</td></tr>`).join('\n')}
</table>

<h2>Over time</h2>
<p id="legend"></p>
<div id="plot-throughput"></div>
<div id="plot-latency"></div>
<div id="plot-errors"></div>
<p>Red: a fault in force. Blue: heal-and-drain. ${summary.operations.total} operations: ${summary.operations.ok} ok, ${summary.operations.unknown} unknown, ${summary.operations.fail} fail.</p>

<h2>Faults</h2>
<table id="faults">
<tr><th>#</th><th class="text">kind</th><th class="text">what</th><th>start (s)</th><th>healed (s)</th><th class="text">problem</th></tr>
${history.faults.map((fault) => `<tr><td>${fault.index}</td><td class="text">${escape(fault.kind)}</td><td class="text">${escape(fault.description)}</td><td>${seconds(fault.startMs)}</td><td>${fault.endMs === undefined ? '' : seconds(fault.endMs)}</td><td class="text">${escape(fault.error ?? '')}</td></tr>`).join('\n')}
</table>
${result.problems.length ? `<h2>Problems</h2><ul>${result.problems.map((problem) => `<li>${escape(problem)}</li>`).join('')}</ul>` : ''}
<script type="application/json" id="plot-data">${jsonForScript(data)}</script>
<script>
const drawPlots = ${drawPlots.toString()};
document.body.setAttribute('data-series-drawn', String(drawPlots(document, JSON.parse(document.getElementById('plot-data').textContent))));
</script>
</body>
</html>
`;
}

function modeRow(mode: AckModeSummary): string {
  const checks: readonly string[] = ACK_MODE_PROMISES[mode.ackMode].checks;
  // Red where the mode promised it would not happen, amber where it is only reported.
  const cell = (finding: keyof AckModeSummary & string) => {
    const value = Number(mode[finding]);
    return `<td class="${value > 0 ? (checks.includes(finding) ? 'broken' : 'reported') : ''}">${value}</td>`;
  };
  const kept = mode.kept ? '<span class="kept">kept</span>' : `<span class="broken">broken</span>: ${mode.broken.map(escape).join('; ')}`;
  return `<tr data-mode="${mode.ackMode}"><td class="text"><code>${mode.ackMode}</code></td><td class="text promise">${escape(mode.promise)}</td><td class="text">${kept}</td><td>${mode.acked}</td>${cell('lost')}<td>${mode.recovered}</td><td>${mode.unknown}</td>${cell('unexpected')}${cell('phantoms')}${cell('duplicates')}${cell('redeliveredAfterDelete')}${cell('orderViolations')}${cell('dedupViolations')}${cell('corrupted')}</tr>`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that cannot close the script element it sits in. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
