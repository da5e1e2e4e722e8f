/**
 * The schedule of an experiment, computed before anything runs: a pure function of the resolved
 * options (seed included), so the same seed gives the same faults and the same operations. What
 * only the running cluster knows (which node leads when a fault starts) is a planned choice
 * ("the leader"), resolved at run time and recorded in the history.
 */
import type { AckMode } from '../node-options.js';
import type { NemesisKind, Range, ResolvedExperiment, ResolvedNemesis } from './options.js';
import { Prng } from './prng.js';

/** A queue of the experiment: its key in the plan and history; the real name adds a run tag. */
export interface PlannedQueue {
  key: string;
  ackMode: AckMode;
  fifo: boolean;
}

/** A node by number, or whichever node leads when the fault starts. */
export type FaultTarget = number | 'leader';

export interface PlannedFault {
  /** Position in the schedule, from 0. */
  index: number;
  kind: NemesisKind;
  /** Planned start, ms after the workload starts (a fault starts late if the previous heal took longer). */
  atMs: number;
  holdMs: number;
  /** kill, pause, one-way, delay: the node it hits. */
  target?: FaultTarget;
  /** The node used when `target` is the leader and none is known. */
  fallback?: number;
  /** partition-random: the minority side; partition-bridge: the two halves. */
  sides?: number[][];
  /** partition-bridge: the node that talks to both halves. */
  bridge?: number;
  /** one-way: `outbound` drops what the target sends to every other node, `inbound` what it receives. */
  direction?: 'outbound' | 'inbound';
  /** delay: ms added to every message to and from the target; link-latency: to what it sends `linkOffset`'s node. */
  delayMs?: number;
  /** link-*: the link's other end, counted on from the target: node `(target - 1 + linkOffset) % nodes + 1`. */
  linkOffset?: number;
  /** link-loss: the share of chunks lost and retransmitted. */
  lossRate?: number;
}

export interface PlannedMessage {
  /** Unique in the experiment: `p<producer>.<n>`; carried in the body. */
  id: string;
  /** FIFO: the message group (each group has exactly one producer, so its send order is known). */
  group?: string;
  /** FIFO: the deduplication id (the message id: a resend carries the same one). */
  dedupId?: string;
  /** FIFO: position in its group's send order, from 0. */
  seq?: number;
}

export type OperationKind = 'send' | 'send-batch' | 'receive';

export interface PlannedOperation {
  /** `producer-1`, `consumer-2`, …: each worker runs its operations one after another. */
  worker: string;
  /** Position in the worker's list. */
  index: number;
  kind: OperationKind;
  /** Planned start, ms after the workload starts. */
  atMs: number;
  /** Node (1-based) the request goes to; a follower forwards it to the leader. */
  node: number;
  queue: string;
  /** Sends: the messages (one for `send`, 2–10 for `send-batch`). */
  messages?: PlannedMessage[];
  /** A FIFO send repeated on purpose with the same deduplication ids. */
  resend?: boolean;
  /** Receives: `MaxNumberOfMessages` and `WaitTimeSeconds`. */
  maxMessages?: number;
  waitSeconds?: number;
}

export interface ExperimentPlan {
  seed: number;
  queues: PlannedQueue[];
  faults: PlannedFault[];
  operations: PlannedOperation[];
}

export function planExperiment(experiment: ResolvedExperiment): ExperimentPlan {
  const root = new Prng(experiment.seed);
  const queues = planQueues(experiment);
  return {
    seed: experiment.seed,
    queues,
    faults: planFaults(experiment, root.fork('nemesis')),
    operations: [...planProducers(experiment, queues, root.fork('producers')), ...planConsumers(experiment, queues, root.fork('consumers'))],
  };
}

export function planQueues({ ackModes, workload }: ResolvedExperiment): PlannedQueue[] {
  return ackModes.flatMap((ackMode) => [
    ...Array.from({ length: workload.standardQueues }, (_, index) => ({ key: `${ackMode}-standard-${index}`, ackMode, fifo: false })),
    ...Array.from({ length: workload.fifoQueues }, (_, index) => ({ key: `${ackMode}-fifo-${index}`, ackMode, fifo: true })),
  ]);
}

/** One fault at a time: quiet, fault held, healed, quiet, … until the workload ends. */
function planFaults({ durationMs, nemesis, nodes }: ResolvedExperiment, prng: Prng): PlannedFault[] {
  const faults: PlannedFault[] = [];
  if (nemesis.faults.length === 0) return faults;
  let at = draw(prng, nemesis.healMs);
  while (at + nemesis.holdMs.min <= durationMs) {
    const kind = prng.pick(nemesis.faults);
    const holdMs = Math.min(draw(prng, nemesis.holdMs), durationMs - at);
    faults.push({ index: faults.length, kind, atMs: at, holdMs, ...faultDetails(kind, nodes, nemesis, prng) });
    at += holdMs + Math.max(1, draw(prng, nemesis.healMs));
  }
  return faults;
}

function faultDetails(kind: NemesisKind, nodes: number, { delayMs: delay, lossRate }: ResolvedNemesis, prng: Prng): Partial<PlannedFault> {
  const numbers = Array.from({ length: nodes }, (_, index) => index + 1);
  const target = (): { target: FaultTarget; fallback: number } => ({
    target: prng.chance(0.5) ? 'leader' : prng.pick(numbers),
    fallback: prng.pick(numbers),
  });
  switch (kind) {
    case 'kill':
    case 'pause':
      return target();
    case 'partition-leader':
      return { target: 'leader', fallback: prng.pick(numbers) };
    case 'partition-random': {
      const minority = prng.int(1, Math.max(1, Math.floor((nodes - 1) / 2)));
      return { sides: [prng.shuffle(numbers).slice(0, minority).sort((a, b) => a - b)] };
    }
    case 'partition-bridge': {
      const [bridge, ...rest] = prng.shuffle(numbers) as [number, ...number[]];
      const half = Math.ceil(rest.length / 2);
      const sort = (side: number[]) => side.sort((a, b) => a - b);
      return { bridge, sides: [sort(rest.slice(0, half)), sort(rest.slice(half))] };
    }
    case 'one-way':
      return { ...target(), direction: prng.chance(0.5) ? 'outbound' : 'inbound' };
    case 'delay':
      return { ...target(), delayMs: draw(prng, delay) };
    case 'kill-all':
      return {};
    case 'link-latency':
      return { ...target(), linkOffset: prng.int(1, nodes - 1), delayMs: draw(prng, delay) };
    case 'link-loss':
      return { ...target(), linkOffset: prng.int(1, nodes - 1), lossRate: Math.round((lossRate.min + prng.next() * (lossRate.max - lossRate.min)) * 1000) / 1000 };
  }
}

function planProducers({ durationMs, workload, nodes }: ResolvedExperiment, queues: PlannedQueue[], prng: Prng): PlannedOperation[] {
  const operations: PlannedOperation[] = [];
  const intervalMs = (1000 * workload.producers) / workload.rate;
  const groupSeq = new Map<string, number>();
  for (let producer = 1; producer <= workload.producers; producer += 1) {
    const own = prng.fork(`producer-${producer}`);
    const worker = `producer-${producer}`;
    let counter = 0;
    // Producers start spread over one interval, so they do not all fire at once.
    for (let at = own.next() * intervalMs, index = 0; at < durationMs; at += intervalMs) {
      const queue = own.pick(queues);
      const batch = own.chance(workload.batchShare);
      const count = batch ? own.int(2, 10) : 1;
      const messages: PlannedMessage[] = [];
      for (let entry = 0; entry < count; entry += 1) {
        const id = `p${producer}.${counter++}`;
        if (!queue.fifo) {
          messages.push({ id });
          continue;
        }
        const group = `p${producer}-g${own.int(0, workload.groupsPerProducer - 1)}`;
        const key = `${queue.key}/${group}`;
        const seq = groupSeq.get(key) ?? 0;
        groupSeq.set(key, seq + 1);
        messages.push({ id, group, dedupId: id, seq });
      }
      const base = { worker, queue: queue.key, kind: batch ? 'send-batch' : 'send', messages } as const;
      operations.push({ ...base, index: index++, atMs: Math.round(at), node: own.int(1, nodes) });
      if (queue.fifo && own.chance(workload.resendShare)) {
        operations.push({ ...base, index: index++, atMs: Math.round(at), node: own.int(1, nodes), resend: true });
      }
    }
  }
  return operations;
}

function planConsumers({ durationMs, workload, nodes }: ResolvedExperiment, queues: PlannedQueue[], prng: Prng): PlannedOperation[] {
  const operations: PlannedOperation[] = [];
  const intervalMs = (1000 * workload.consumers) / workload.receiveRate;
  for (let consumer = 1; consumer <= workload.consumers; consumer += 1) {
    const own = prng.fork(`consumer-${consumer}`);
    const worker = `consumer-${consumer}`;
    for (let at = own.next() * intervalMs, index = 0; at < durationMs; at += intervalMs) {
      operations.push({
        worker,
        index: index++,
        kind: 'receive',
        atMs: Math.round(at),
        node: own.int(1, nodes),
        queue: own.pick(queues).key,
        maxMessages: own.pick([1, 5, 10, 10]),
        waitSeconds: own.pick([0, 1]),
      });
    }
  }
  return operations;
}

function draw(prng: Prng, range: Range): number {
  return prng.int(range.min, range.max);
}
