/**
 * SQS's own failure modes, on demand, as a node takes them (`withChaos(…)` at start, or
 * `node.admin().setChaos(…)` while it runs): injected errors, latency, empty short polls,
 * duplicate and reordered deliveries, early visibility expiry. The shapes restate the server's
 * (server/src/chaos/chaos-spec.ts) on purpose: they are the HTTP and config contract, and the
 * testkit must not depend on the server package. client/README.md documents each mode.
 */
import { InvalidOptionError } from './errors.js';

export type ChaosErrorCode = 'InternalFailure' | 'ServiceUnavailable' | 'ThrottlingException' | 'RequestThrottled';

export interface ChaosSpec {
  /** Every draw comes from this seed (default 1). */
  seed?: number;
  /** Requests answered with an error: `before` the action (not done) or `after` it (done, answer lost). */
  errors?: { actions?: string[]; rate: number; error: ChaosErrorCode; when?: 'before' | 'after' }[];
  latency?: { actions?: string[]; rate?: number; minMs: number; maxMs: number }[];
  /** Standard queues (FIFO too with `fifo: true`): a received message delivered again later. */
  duplicates?: { rate: number; fifo?: boolean };
  /** Standard queues: a receive's messages in another order. */
  reorder?: { rate: number; fifo?: boolean };
  /** A short poll answered empty, as SQS's sampling of its servers may. */
  emptyShortPolls?: { rate: number };
  /** Standard queues: a received message visible again within `minShare`–`maxShare` of its visibility timeout. */
  earlyVisibility?: { rate: number; fifo?: boolean; minShare?: number; maxShare?: number };
}

/** `GET /chaos`. */
export interface ChaosState {
  enabled: boolean;
  rules: ChaosSpec;
  injected: { errors: number; latency: number; duplicates: number; reordered: number; emptyShortPolls: number; earlyVisibility: number };
}

/** The environment that gives a node these rules at start-up (`REPLIMQ_CHAOS`). */
export function chaosEnvironment(spec: ChaosSpec): Record<string, string> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new InvalidOptionError('chaos rules must be an object');
  return { REPLIMQ_CHAOS: JSON.stringify(spec) };
}
