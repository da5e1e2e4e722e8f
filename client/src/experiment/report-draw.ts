/**
 * Draws the report's plots in the browser: this function's source is inlined into report.html
 * (`drawPlots.toString()`), so it must stand alone — no imports, no helpers from outside, only
 * the DOM calls typed below (the testkit is compiled without the DOM library). It builds one SVG
 * per metric: a line per node, the fault windows shaded, the heal-and-drain phase marked.
 */
import type { PlotData } from './report-data.js';

/** The little of the DOM the drawing uses. */
export interface PlotElement {
  setAttribute(name: string, value: string): void;
  appendChild(child: PlotElement): PlotElement;
  textContent: string | null;
}

export interface PlotDocument {
  createElementNS(namespace: string, name: string): PlotElement;
  createElement(name: string): PlotElement;
  getElementById(id: string): PlotElement | null;
}

export function drawPlots(document: PlotDocument, data: PlotData): number {
  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
  const width = 960;
  const height = 220;
  const left = 56;
  const right = 12;
  const top = 12;
  const bottom = 28;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const svgElement = (name: string, attributes: Record<string, string | number>): PlotElement => {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  };
  const x = (ms: number): number => left + (Math.min(ms, data.endMs) / data.endMs) * plotWidth;
  let drawn = 0;

  const chart = (containerId: string, title: string, unit: string, pick: (node: PlotData['nodes'][number]) => (number | null)[], dashed?: (node: PlotData['nodes'][number]) => (number | null)[]): void => {
    const container = document.getElementById(containerId);
    if (!container) return;
    const values: number[] = [];
    for (const node of data.nodes) {
      for (const value of pick(node)) if (value !== null) values.push(value);
      if (dashed) for (const value of dashed(node)) if (value !== null) values.push(value);
    }
    const max = Math.max(1, ...values) * 1.1;
    const y = (value: number): number => top + plotHeight - (value / max) * plotHeight;
    const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': title, class: 'plot' });
    // The heal-and-drain phase, then every fault window, behind the lines.
    svg.appendChild(svgElement('rect', { class: 'drain', x: x(data.workloadEndMs), y: top, width: Math.max(0, x(data.drainEndMs) - x(data.workloadEndMs)), height: plotHeight }));
    for (const fault of data.faults) {
      const shade = svgElement('rect', { class: `fault fault-${fault.kind}`, x: x(fault.startMs), y: top, width: Math.max(1, x(fault.endMs) - x(fault.startMs)), height: plotHeight });
      const tip = svgElement('title', {});
      tip.textContent = `fault ${fault.index}: ${fault.description} (${(fault.startMs / 1000).toFixed(1)}–${(fault.endMs / 1000).toFixed(1)} s)`;
      shade.appendChild(tip);
      svg.appendChild(shade);
    }
    svg.appendChild(svgElement('line', { class: 'axis', x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight }));
    svg.appendChild(svgElement('line', { class: 'axis', x1: left, y1: top, x2: left, y2: top + plotHeight }));
    for (let tick = 0; tick <= 4; tick += 1) {
      const value = (max / 4) * tick;
      const label = svgElement('text', { class: 'tick', x: left - 6, y: y(value) + 4, 'text-anchor': 'end' });
      label.textContent = value >= 100 ? value.toFixed(0) : value.toFixed(1);
      svg.appendChild(label);
    }
    const seconds = data.endMs / 1000;
    const step = Math.max(1, Math.ceil(seconds / 12));
    for (let second = 0; second <= seconds; second += step) {
      const label = svgElement('text', { class: 'tick', x: x(second * 1000), y: height - 8, 'text-anchor': 'middle' });
      label.textContent = `${second}s`;
      svg.appendChild(label);
    }
    const unitLabel = svgElement('text', { class: 'unit', x: left + 4, y: top + 12 });
    unitLabel.textContent = unit;
    svg.appendChild(unitLabel);
    const line = (series: (number | null)[], color: string, className: string, node: number): void => {
      let path = '';
      let open = false;
      series.forEach((value, bucket) => {
        if (value === null) {
          open = false;
          return;
        }
        const px = x((bucket + 0.5) * data.bucketMs).toFixed(1);
        const py = y(value).toFixed(1);
        path += `${open ? 'L' : 'M'}${px},${py}`;
        open = true;
      });
      if (path === '') return;
      svg.appendChild(svgElement('path', { class: `series ${className}`, 'data-node': node, d: path, stroke: color, fill: 'none' }));
      drawn += 1;
    };
    data.nodes.forEach((node, index) => {
      const color = COLORS[index % COLORS.length]!;
      line(pick(node), color, 'solid', node.node);
      if (dashed) line(dashed(node), color, 'dashed', node.node);
    });
    container.appendChild(svg);
  };

  chart('plot-throughput', 'Throughput per node', 'ok operations / s', (node) => node.throughput);
  chart('plot-latency', 'Latency per node', 'ms (solid: median, dashed: 99th percentile)', (node) => node.latencyP50, (node) => node.latencyP99);
  chart('plot-errors', 'Errors per node', 'fail + unknown operations / s', (node) => node.errors);
  const legend = document.getElementById('legend');
  if (legend) {
    data.nodes.forEach((node, index) => {
      const item = document.createElement('span');
      item.setAttribute('class', 'legend-item');
      item.setAttribute('style', `color: ${COLORS[index % COLORS.length]}`);
      item.textContent = `■ n${node.node}`;
      legend.appendChild(item);
    });
  }
  return drawn;
}
