/**
 * Carries out the planned faults on a started cluster, one at a time, with the testkit's own
 * primitives: kill/restart, pause/unpause and partitions of the cluster (real network cuts in
 * containers, admin fault rules for processes), and the admin fault API (`POST /faults`) for
 * what a two-sided cut cannot express: bridges, one-way drops and delays; the link proxies
 * (`withLinkFaults()`) for latency and loss on one directed link. Each fault is
 * recorded with the nodes it hit and when it started and was healed.
 */
import type { FaultSpec } from '../admin-client.js';
import { nodeIdOf } from '../cluster-runtime.js';
import { describeError } from '../errors.js';
import type { StartedReplimqCluster } from '../started-cluster.js';
import type { FaultRecord } from './history.js';
import type { FaultTarget, PlannedFault } from './plan.js';
import type { HistoryRecorder } from './recorder.js';

type Cluster = Pick<
  StartedReplimqCluster,
  'size' | 'nodes' | 'kill' | 'restart' | 'pause' | 'unpause' | 'partition' | 'heal' | 'leader' | 'numberOf' | 'stateOf' | 'node' | 'link' | 'healLinks' | 'hasLinkFaults'
>;

/** How a started fault is undone. */
type Heal = () => Promise<void>;

const LEADER_WAIT_MS = 3_000;

export interface NemesisRun {
  cluster: Cluster;
  faults: readonly PlannedFault[];
  recorder: HistoryRecorder;
  durationMs: number;
  /** The fault in force now (for the progress line). */
  onFault?: (fault: FaultRecord | undefined) => void;
  /** A killed node runs again (it lost what it held in memory, such as chaos rules). */
  nodeRestarted?: (number: number) => Promise<void>;
}

export async function runNemesis(run: NemesisRun): Promise<void> {
  const { recorder } = run;
  // Every planned fault is carried out, in order, with its full hold: the same seed gives the same
  // schedule. On a slow machine a restart can run past the next fault's planned start; that fault
  // then starts late (its record says when) rather than being dropped, and the run lasts longer.
  for (const fault of run.faults) {
    if (fault.atMs >= run.durationMs) return;
    const wait = fault.atMs - recorder.now();
    if (wait > 0) await sleep(wait);
    const record: FaultRecord = { index: fault.index, kind: fault.kind, nodes: [], description: fault.kind, startMs: recorder.now() };
    recorder.faults.push(record);
    let heal: Heal | undefined;
    try {
      heal = await startFault(run.cluster, fault, record, run.nodeRestarted ?? (async () => {}));
    } catch (error) {
      record.error = `could not start: ${describeError(error)}`;
    }
    run.onFault?.(record);
    await sleep(fault.holdMs);
    try {
      // A fault that failed half-way is healed as fully as possible.
      await (heal ?? (() => healEverything(run.cluster)))();
      record.endMs = recorder.now();
    } catch (error) {
      record.error = `${record.error ? `${record.error}; ` : ''}could not heal: ${describeError(error)}`;
    }
    run.onFault?.(undefined);
  }
}

async function startFault(cluster: Cluster, fault: PlannedFault, record: FaultRecord, restarted: (number: number) => Promise<void>): Promise<Heal> {
  const all = Array.from({ length: cluster.size }, (_, index) => index + 1);
  switch (fault.kind) {
    case 'kill': {
      const { number, label } = await resolve(cluster, fault);
      record.nodes = [number];
      record.description = `killed ${label}, restarted after ${fault.holdMs} ms`;
      await cluster.kill(number);
      return async () => {
        await cluster.restart(number);
        await restarted(number);
      };
    }
    case 'pause': {
      const { number, label } = await resolve(cluster, fault);
      record.nodes = [number];
      record.description = `paused ${label} for ${fault.holdMs} ms`;
      await cluster.pause(number);
      return () => cluster.unpause(number);
    }
    case 'partition-leader': {
      const { number, label } = await resolve(cluster, fault);
      record.nodes = [number];
      record.description = `isolated ${label} from every other node`;
      await cluster.partition([number]);
      return () => cluster.heal();
    }
    case 'partition-random': {
      const side = fault.sides?.[0] ?? [];
      record.nodes = side;
      record.description = `partitioned ${names(side)} | ${names(all.filter((number) => !side.includes(number)))}`;
      await cluster.partition(side);
      return () => cluster.heal();
    }
    case 'partition-bridge': {
      const [left = [], right = []] = fault.sides ?? [];
      record.nodes = all;
      record.description = `bridge: ${names(left)} | ${names(right)} cannot talk, n${fault.bridge} talks to both`;
      const rules = new Map<number, FaultSpec>([
        ...left.map((number) => [number, { isolate: right.map(nodeIdOf) }] as const),
        ...right.map((number) => [number, { isolate: left.map(nodeIdOf) }] as const),
      ]);
      return setRules(cluster, rules);
    }
    case 'one-way': {
      const { number, label } = await resolve(cluster, fault);
      const others = all.filter((other) => other !== number).map(nodeIdOf);
      record.nodes = [number];
      record.description =
        fault.direction === 'inbound' ? `${label} hears no other node (they hear it)` : `${label} cannot reach any other node (it hears them)`;
      return setRules(cluster, new Map([[number, fault.direction === 'inbound' ? { dropFrom: others } : { dropTo: others }]]));
    }
    case 'delay': {
      const { number, label } = await resolve(cluster, fault);
      const delays = Object.fromEntries(all.filter((other) => other !== number).map((other) => [nodeIdOf(other), fault.delayMs ?? 0]));
      record.nodes = [number];
      record.description = `delayed every message to and from ${label} by ${fault.delayMs} ms`;
      return setRules(cluster, new Map([[number, { delayTo: delays, delayFrom: delays }]]));
    }
    case 'kill-all': {
      record.nodes = all;
      record.description = `killed every node at once, restarted after ${fault.holdMs} ms`;
      await Promise.all(all.map((number) => cluster.kill(number)));
      // At once: a node reports healthy only once a leader is elected, which needs a majority back.
      return async () => {
        await Promise.all(all.map((number) => cluster.restart(number)));
        await Promise.all(all.map(restarted));
      };
    }
    case 'link-latency':
    case 'link-loss': {
      const { number, label } = await resolve(cluster, fault);
      const to = ((number - 1 + (fault.linkOffset ?? 1)) % cluster.size) + 1;
      const link = cluster.link(number, to);
      record.nodes = [number, to];
      if (fault.kind === 'link-latency') {
        const latency = fault.delayMs ?? 0;
        const jitterMs = Math.round(latency / 4);
        record.description = `link ${label} → n${to}: latency ${latency}±${jitterMs} ms (n${to} → ${label} untouched)`;
        await link.latency(latency, { jitterMs });
      } else {
        record.description = `link ${label} → n${to}: ${+((fault.lossRate ?? 0) * 100).toFixed(1)}% of chunks lost and retransmitted (n${to} → ${label} untouched)`;
        await link.loss(fault.lossRate ?? 0);
      }
      return () => link.heal();
    }
  }
}

/** Sets admin fault rules on some nodes; the heal clears them on every node. */
async function setRules(cluster: Cluster, rules: ReadonlyMap<number, FaultSpec>): Promise<Heal> {
  const heal = async () => {
    await Promise.all(cluster.nodes.map((node, index) => (cluster.stateOf(index + 1) === 'killed' ? undefined : onceMore(() => node.admin().clearFaults()))));
  };
  try {
    await Promise.all([...rules].map(([number, spec]) => onceMore(() => cluster.node(number).admin().setFaults(spec))));
  } catch (error) {
    await heal().catch(() => {});
    throw error;
  }
  return heal;
}

/** The planned target: a node, or whichever leads now (the fallback if none does in time). */
async function resolve(cluster: Cluster, fault: PlannedFault): Promise<{ number: number; label: string }> {
  const target: FaultTarget = fault.target ?? 'leader';
  if (target !== 'leader') return { number: target, label: `n${target}` };
  try {
    const number = cluster.numberOf(await cluster.leader({ timeoutMs: LEADER_WAIT_MS }));
    return { number, label: `n${number} (the leader)` };
  } catch {
    const number = fault.fallback ?? 1;
    return { number, label: `n${number} (no leader known; the fallback)` };
  }
}

/** Undoes every fault: admin rules cleared, partitions healed, paused nodes resumed, killed ones restarted. */
export async function healEverything(cluster: Cluster): Promise<void> {
  const numbers = Array.from({ length: cluster.size }, (_, index) => index + 1);
  await Promise.all(numbers.filter((number) => cluster.stateOf(number) === 'paused').map((number) => cluster.unpause(number)));
  await cluster.heal();
  if (cluster.hasLinkFaults) await cluster.healLinks();
  await Promise.all(numbers.filter((number) => cluster.stateOf(number) === 'killed').map((number) => cluster.restart(number)));
  await Promise.all(numbers.map((number) => cluster.node(number).admin().clearFaults().catch(() => {})));
}

/** Setting and clearing rules replace them, so a request that timed out on a busy node is safe to repeat. */
async function onceMore<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch {
    await sleep(250);
    return request();
  }
}

function names(numbers: readonly number[]): string {
  return `[${numbers.map((number) => `n${number}`).join(', ')}]`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
