/**
 * The answer to `RaftCore.propose(payload)`.
 */
import type { Effects } from './effects.js';
import type { NodeId } from './messages.js';

export type Proposal<P = unknown> =
  /** Appended at `index` in `term`; handle `effects` like a step's (they include the entry). */
  | { readonly accepted: true; readonly index: number; readonly term: number; readonly effects: Effects<P> }
  /** This node is not leader; `leader` is the one it knows of, if any. */
  | { readonly accepted: false; readonly leader: NodeId | undefined };
