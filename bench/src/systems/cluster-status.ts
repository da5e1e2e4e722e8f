/**
 * Reading a replimq cluster's admin `/cluster` answers: which node leads, and how far each
 * follower trails, in log entries (the leader's `peers[].lag`) and in time (how long ago the
 * leader had the oldest entry a follower still lacks). The shape is read defensively, so a field
 * renamed on the server side shows up as "no lag figure" instead of crashing the benchmark.
 */
import { performance } from 'node:perf_hooks';
import { httpGetJson } from './child-server.js';

/** Index (into `adminUrls`) of the node whose /cluster says it is leader. */
export async function findLeaderIndex(adminUrls: readonly string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const statuses = await Promise.all(adminUrls.map((url) => httpGetJson(`${url}/cluster`)));
    const leader = statuses.findIndex((status) => isRecord(status) && status['role'] === 'leader');
    if (leader >= 0) return leader;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no node reported role "leader" on /cluster within ${timeoutMs} ms (${adminUrls.join(', ')})`);
}

export interface IndexAt {
  /** performance.now() of the sample. */
  at: number;
  index: number;
}

/**
 * When did the leader first hold entry `index + 1`, the oldest one a follower at `index` lacks?
 * Linear interpolation between the two leader samples around it; undefined when the leader has
 * not got past `index` in the history (the follower is caught up).
 */
export function firstHeldAt(history: readonly IndexAt[], index: number): number | undefined {
  const after = history.findIndex((sample) => sample.index > index);
  if (after < 0) return undefined;
  const later = history[after]!;
  const earlier = history[after - 1];
  if (!earlier) return later.at;
  const fraction = (index + 1 - earlier.index) / (later.index - earlier.index);
  return earlier.at + (later.at - earlier.at) * Math.min(1, Math.max(0, fraction));
}

/**
 * How long a follower that answered at `answeredAt` with applied index `index` has lacked an
 * entry the leader held; 0 when it holds all the leader had in the history.
 */
export function followerLagMs(leaderHistory: readonly IndexAt[], index: number, answeredAt: number): number {
  const heldSince = firstHeldAt(leaderHistory, index);
  return heldSince === undefined ? 0 : Math.max(0, answeredAt - heldSince);
}

/**
 * Samples every node's /cluster and keeps the lag figures seen; one tracker per measured round.
 *
 * Each answer is timed when it arrives, not when the last of the three did: a node reads its
 * index when its event loop gets to the request, and the leader under load (it serves every
 * client) gets there last. Stamping the leader's index and the followers' with one time after
 * all answers made a follower's lag include how much later the leader read its index than the
 * follower did — a leader's GC pause or a long turn counted as follower lag, although a leader
 * that is paused appends nothing. With each node's own arrival time, what remains is the
 * difference of their answer's way back, which is alike for all nodes.
 */
export class ReplicationLagTracker {
  readonly entries: number[] = [];
  readonly milliseconds: number[] = [];
  private readonly leaderHistory: IndexAt[] = [];

  constructor(private readonly adminUrls: readonly string[]) {}

  async sample(): Promise<void> {
    const answers = await Promise.all(
      this.adminUrls.map(async (url) => ({ status: await httpGetJson(`${url}/cluster`), at: performance.now() })),
    );
    const statuses = answers.filter((answer): answer is { status: Record<string, unknown>; at: number } => isRecord(answer.status));
    const leader = statuses.find((answer) => answer.status['role'] === 'leader');
    if (!leader || typeof leader.status['appliedIndex'] !== 'number') return;
    this.leaderHistory.push({ at: leader.at, index: leader.status['appliedIndex'] });
    const peers = leader.status['peers'];
    for (const peer of Array.isArray(peers) ? (peers as unknown[]) : []) {
      if (isRecord(peer) && typeof peer['lag'] === 'number') this.entries.push(peer['lag']);
    }
    for (const follower of statuses) {
      const index = follower.status['appliedIndex'];
      if (follower === leader || typeof index !== 'number') continue;
      this.milliseconds.push(followerLagMs(this.leaderHistory, index, follower.at));
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
