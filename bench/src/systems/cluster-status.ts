/**
 * Reading a replimq cluster's admin `/cluster` answers: which node leads, and how far each
 * follower trails. The shape is read defensively, so that a field renamed on the server side
 * shows up as "no lag figure" instead of crashing the benchmark.
 */
import { httpGetJson } from './child-server.js';

/** Index (into `adminUrls`) of the node whose /cluster says it is leader. */
export async function findLeaderIndex(adminUrls: readonly string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (let index = 0; index < adminUrls.length; index++) {
      const status = await httpGetJson(`${adminUrls[index]}/cluster`);
      if (isRecord(status) && status['role'] === 'leader') return index;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no node reported role "leader" on /cluster within ${timeoutMs} ms (${adminUrls.join(', ')})`);
}

/**
 * Replication lag of every follower as the leader reports it, in log entries (`peers[].lag`),
 * plus milliseconds where the server reports them (`peers[].lagMs`).
 */
export interface LagSample {
  entries: number[];
  milliseconds: number[];
}

export async function sampleLag(adminUrls: readonly string[]): Promise<LagSample> {
  const sample: LagSample = { entries: [], milliseconds: [] };
  for (const url of adminUrls) {
    const status = await httpGetJson(`${url}/cluster`);
    if (!isRecord(status) || status['role'] !== 'leader' || !Array.isArray(status['peers'])) continue;
    for (const peer of status['peers'] as unknown[]) {
      if (!isRecord(peer)) continue;
      if (typeof peer['lag'] === 'number') sample.entries.push(peer['lag']);
      if (typeof peer['lagMs'] === 'number') sample.milliseconds.push(peer['lagMs']);
    }
  }
  return sample;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
