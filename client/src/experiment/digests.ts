/**
 * Convergence after heal-and-drain: every node's `GET /state/digest` (a SHA-256 over its whole
 * state, read from the node itself, never forwarded), waited for until they agree or time runs out.
 */
import type { ClusterView } from '../cluster-view.js';
import { describeError } from '../errors.js';
import { digestsAgree } from './summary.js';

export interface NodeDigest {
  number: number;
  nodeId: string;
  appliedIndex?: number;
  digest?: string;
  records?: number;
  /** Why the node gave no digest. */
  error?: string;
}

export async function readDigests(cluster: ClusterView): Promise<NodeDigest[]> {
  return Promise.all(
    cluster.nodes.map(async (node, index): Promise<NodeDigest> => {
      const number = index + 1;
      try {
        const { appliedIndex, digest, records } = await node.admin().stateDigest();
        return { number, nodeId: node.nodeId, appliedIndex, digest, records };
      } catch (error) {
        return { number, nodeId: node.nodeId, error: describeError(error) };
      }
    }),
  );
}

/** The digests once they agree, or the last ones read when `timeoutMs` ran out. */
export async function settledDigests(cluster: ClusterView, timeoutMs: number): Promise<NodeDigest[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const digests = await readDigests(cluster);
    if (digestsAgree(digests) || Date.now() >= deadline) return digests;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
