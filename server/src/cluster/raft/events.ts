/**
 * What can happen to a raft core. Everything is fed in through `RaftCore.step(event)`, except
 * client proposals, which have their own method (`RaftCore.propose`) because they answer with an
 * index.
 */
import type { NodeId, RaftMessage } from './messages.js';

export type RaftEvent<P = unknown> =
  /** Time passed. `now` is monotonic milliseconds; call every few tens of ms. */
  | { readonly type: 'tick'; readonly now: number }
  /** A message arrived from a peer. */
  | { readonly type: 'receive'; readonly from: NodeId; readonly message: RaftMessage<P> }
  /**
   * This node's state up to (index, term) is applied and durable: entries handed out in
   * `Effects.entries`, or the snapshot of `Effects.installSnapshot`. With memory storage, report
   * it right after applying. A report whose (index, term) is no longer in the log is ignored.
   */
  | { readonly type: 'persisted'; readonly index: number; readonly term: number }
  /** Leader: streaming a snapshot to `to` failed; the core will decide again what to send. */
  | { readonly type: 'snapshotFailed'; readonly to: NodeId };
