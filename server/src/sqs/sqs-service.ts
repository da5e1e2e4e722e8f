/**
 * What the HTTP protocol layer calls: a protocol-neutral request in, a protocol-neutral answer
 * out. The node's own service implements it on the leader; on a follower a forwarding service
 * implements it by sending the request to the leader (cluster issue).
 */
import type { ActionName, ActionOutput, SqsRequest } from '../engine/actions.js';
import type { RequestContext } from '../cluster/replicator.js';

export interface ServiceAnswer<A extends ActionName = ActionName> {
  output: ActionOutput<A>;
  /** Log index the answer was committed at (writes only): `x-replimq-log-index`. */
  logIndex?: number;
  /** Nodes that held it when the answer was sent: `x-replimq-replicas`. */
  replicas?: number;
}

export interface SqsService {
  /** Resolves with the answer or rejects with an `SqsError` (anything else renders as 500). */
  handle(request: SqsRequest, context: RequestContext): Promise<ServiceAnswer>;
}
