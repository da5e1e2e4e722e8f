/**
 * Start-up rows: a single node from spawn to its first SQS answer, a 3-node process cluster from
 * spawn to every node healthy (a leader elected and followed), and — where a Docker engine
 * answers and the image is built — a 3-node container cluster through the testkit, as a test
 * suite starts one. Each is timed on a quiet machine and again beside one busy loop per core, and
 * every start counts the elections it held beyond the first (read from each node's /cluster term
 * a settle period after ready): a loaded machine must not make a fresh cluster re-elect.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { median } from '../latency-recorder.js';
import { machineBusySeconds, cpuSeconds } from '../proc-stats.js';
import { fileURLToPath } from 'node:url';
import { freePort } from 'replimq-testkit';
import { startBusyLoops } from '../busy-loops.js';
import { httpGetJson, httpGetStatus, spawnServer } from '../systems/child-server.js';
import { node22Runtime } from '../systems/node-runtime.js';
import { spawnReplimqNodes, type ReplimqOptions } from '../systems/replimq-system.js';
import { spuriousElections, type StartupRow, type StartupSubject } from './startup-row.js';

const POLL_MS = 5;
const READY_TIMEOUT_MS = 30_000;
/** After ready: time for a too-eager election timer to fire (several election timeouts). */
const SETTLE_MS = 2_000;

export interface StartupPlan {
  samples: number;
  loads: readonly ('idle' | 'loaded')[];
  /** replimq variants to start (single node and 3-node cluster of each). */
  variants: readonly { label: string; node22: boolean }[];
  containers: boolean;
  /** Time fauxqs 1.x and 2.x to their first answer too: the peers' start-up. */
  peers: boolean;
}

interface Sample {
  readyMs: number;
  elections: number;
  backgroundCpuPercent: number;
}

export async function measureStartup(plan: StartupPlan, log: (line: string) => void): Promise<StartupRow[]> {
  const rows: StartupRow[] = [];
  for (const load of plan.loads) {
    const busy = startBusyLoops(load === 'loaded' ? cpus().length : 0);
    try {
      if (plan.peers) {
        rows.push(await sampled('fauxqs', 'single', 1, load, plan.samples, log, () => peerStart('./fauxqs-server.js', process.execPath)));
        const node22 = node22Runtime();
        rows.push(
          typeof node22 === 'string'
            ? skipped('fauxqs2', 'single', 1, load, node22)
            : await sampled('fauxqs2', 'single', 1, load, plan.samples, log, () => peerStart('./fauxqs2-server.js', node22.execPath)),
        );
      }
      for (const variant of plan.variants) {
        const suffix = variant.node22 ? '-node22' : '';
        rows.push(await sampled(`replimq-memory${suffix}`, 'single', 1, load, plan.samples, log, () =>
          processStart({ storage: 'memory', nodes: 1, node22: variant.node22 })));
        rows.push(await sampled(`replimq-3n-majority${suffix}`, 'process-cluster', 3, load, plan.samples, log, () =>
          processStart({ storage: 'memory', nodes: 3, ackMode: 'majority', node22: variant.node22 })));
      }
      if (plan.containers) {
        const image = await containerImage();
        rows.push(
          image.unavailable
            ? skipped('replimq-3n-container', 'container-cluster', 3, load, image.unavailable)
            : { ...(await sampled('replimq-3n-container', 'container-cluster', 3, load, plan.samples, log, containerStart)), note: image.note },
        );
      }
    } finally {
      await busy.stop();
    }
  }
  return rows;
}

async function sampled(
  system: string, subject: StartupSubject, nodes: number, load: 'idle' | 'loaded', count: number,
  log: (line: string) => void, start: () => Promise<Sample>,
): Promise<StartupRow> {
  const samples: Sample[] = [];
  try {
    for (let index = 0; index < count; index++) samples.push(await start());
  } catch (error) {
    log(`startup ${system} (${load}): ${(error as Error).message.split('\n')[0]}`);
    return skipped(system, subject, nodes, load, `failed: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`);
  }
  const ready = samples.map((sample) => sample.readyMs);
  const row: StartupRow = {
    kind: 'startup', group: 'startup', system, subject, nodes, load, samples: samples.length,
    readyMs: median(ready), minMs: Math.min(...ready), maxMs: Math.max(...ready),
    spuriousElections: samples.reduce((sum, sample) => sum + sample.elections, 0),
    backgroundCpuPercent: median(samples.map((sample) => sample.backgroundCpuPercent)),
  };
  log(`startup ${system} (${load}): ready ${row.readyMs.toFixed(0)} ms (${row.minMs.toFixed(0)}–${row.maxMs.toFixed(0)}), spurious elections ${row.spuriousElections}`);
  return row;
}

function skipped(system: string, subject: StartupSubject, nodes: number, load: 'idle' | 'loaded', reason: string): StartupRow {
  return { kind: 'startup', group: 'startup', system, subject, nodes, load, samples: 0, readyMs: 0, minMs: 0, maxMs: 0, spuriousElections: 0, skipped: reason };
}

/** Spawn → ready for child-process nodes, then the settle period and the terms. */
async function processStart(options: ReplimqOptions): Promise<Sample> {
  const machineBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const startedAt = performance.now();
  const nodes = await spawnReplimqNodes(`startup-${options.nodes}n`, options);
  try {
    const ready = options.nodes === 1
      ? () => sqsAnswers(`http://127.0.0.1:${nodes.ports[0]!.sqs}`)
      : async () => (await Promise.all(nodes.adminUrls.map((url) => httpGetStatus(`${url}/health`)))).every((status) => status === 200);
    for (;;) {
      const exited = nodes.servers.find((server) => server.process.exitCode !== null || server.process.signalCode !== null);
      if (exited) throw new Error(`a node exited before ready:\n${exited.output()}`);
      if (await ready()) break;
      if (performance.now() - startedAt > READY_TIMEOUT_MS) throw new Error(`not ready within ${READY_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const readyMs = performance.now() - startedAt;
    const serversCpu = nodes.servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
    const own = process.cpuUsage(ownBefore);
    const others = machineBusySeconds() - machineBefore - serversCpu - (own.user + own.system) / 1e6;
    const backgroundCpuPercent = Math.max(0, (others / ((readyMs / 1000) * cpus().length)) * 100);
    if (options.nodes === 1) return { readyMs, elections: 0, backgroundCpuPercent };
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const terms = await Promise.all(nodes.adminUrls.map(async (url) => termOf(await httpGetJson(`${url}/cluster`))));
    return { readyMs, elections: spuriousElections(terms), backgroundCpuPercent };
  } finally {
    await nodes.stop();
  }
}

/** A peer emulator's child process (bench/src/systems/fauxqs*-server.ts), spawn → first SQS answer. */
async function peerStart(script: string, execPath: string): Promise<Sample> {
  const port = await freePort();
  const machineBefore = machineBusySeconds();
  const startedAt = performance.now();
  const server = spawnServer(script, [fileURLToPath(new URL(`../systems/${script}`, import.meta.url)), String(port)], {}, execPath);
  try {
    while (!(await sqsAnswers(`http://127.0.0.1:${port}`))) {
      if (server.process.exitCode !== null || server.process.signalCode !== null) throw new Error(`exited before it answered:\n${server.output()}`);
      if (performance.now() - startedAt > READY_TIMEOUT_MS) throw new Error(`not answering within ${READY_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const readyMs = performance.now() - startedAt;
    const others = machineBusySeconds() - machineBefore - cpuSeconds(server.pid);
    return { readyMs, elections: 0, backgroundCpuPercent: Math.max(0, (others / ((readyMs / 1000) * cpus().length)) * 100) };
  } finally {
    await server.stop();
  }
}

/** The testkit's container runtime, as a test suite uses it: `start()` resolved = ready. */
async function containerStart(): Promise<Sample> {
  const { ReplimqCluster } = await import('replimq-testkit');
  const machineBefore = machineBusySeconds();
  const startedAt = performance.now();
  const cluster = await new ReplimqCluster(3).withRuntime('container').start();
  try {
    const readyMs = performance.now() - startedAt;
    // Container processes are not ours to read from /proc: all busy time but the bench's own counts.
    const backgroundCpuPercent = Math.max(0, ((machineBusySeconds() - machineBefore) / ((readyMs / 1000) * cpus().length)) * 100);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const terms = await Promise.all([1, 2, 3].map(async (number) => (await cluster.node(number).admin().cluster()).term));
    return { readyMs, elections: spuriousElections(terms), backgroundCpuPercent };
  } finally {
    await cluster.stop();
  }
}

/** The image the testkit will run (and when it was built), or why container start-up cannot be timed here. */
async function containerImage(): Promise<{ unavailable?: string; note?: string }> {
  const { probeDocker, defaultImage } = await import('replimq-testkit');
  // The image the cluster below will run: REPLIMQ_IMAGE when set, as in the testkit.
  const image = defaultImage();
  const docker = await probeDocker();
  if (!docker.reachable) return { unavailable: `no Docker engine: ${docker.detail}` };
  try {
    const created = execFileSync('docker', ['image', 'inspect', '--format', '{{.Created}}', image], { encoding: 'utf8' }).trim();
    return { note: `image ${image}, built ${created.slice(0, 19)}` };
  } catch {
    // Building it is not start-up: a run that had to build would time the build.
    return { unavailable: `image ${image} is not built (scripts/docker/build-image.sh)` };
  }
}

async function sqsAnswers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
      signal: AbortSignal.timeout(1_000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

function termOf(status: unknown): number {
  return typeof status === 'object' && status !== null && typeof (status as { term?: unknown }).term === 'number' ? (status as { term: number }).term : 0;
}
