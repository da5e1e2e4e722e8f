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

/** Samples every node's /cluster and keeps the lag figures seen; one tracker per measured round. */
export class ReplicationLagTracker {
  readonly entries: number[] = [];
  readonly milliseconds: number[] = [];
  private readonly leaderHistory: IndexAt[] = [];

  constructor(private readonly adminUrls: readonly string[]) {}

  async sample(): Promise<void> {
    const statuses = (await Promise.all(this.adminUrls.map((url) => httpGetJson(`${url}/cluster`)))).filter(isRecord);
    const now = performance.now();
    const leader = statuses.find((status) => status['role'] === 'leader');
    if (!leader || typeof leader['appliedIndex'] !== 'number') return;
    this.leaderHistory.push({ at: now, index: leader['appliedIndex'] });
    for (const peer of Array.isArray(leader['peers']) ? (leader['peers'] as unknown[]) : []) {
      if (isRecord(peer) && typeof peer['lag'] === 'number') this.entries.push(peer['lag']);
    }
    for (const follower of statuses) {
      if (follower === leader || typeof follower['appliedIndex'] !== 'number') continue;
      const heldSince = firstHeldAt(this.leaderHistory, follower['appliedIndex']);
      this.milliseconds.push(heldSince === undefined ? 0 : now - heldSince);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
