/**
 * A write reached a node that is not (or no longer) the leader. It is a 503 to a client, and to a
 * forwarding follower a sign that the request was not executed, so retrying at `leaderId` is safe.
 */
import { SqsError } from '../engine/errors.js';

export class NotLeaderError extends SqsError {
  constructor(readonly leaderId: string | undefined) {
    super(
      'ServiceUnavailable',
      leaderId ? `This node is not the leader (the leader is ${leaderId}); try again.` : 'No leader is elected yet; try again.',
    );
  }
}
