/**
 * A message move task: moves the messages that were in a dead-letter queue when it started,
 * oldest first, to a destination (or back to each message's source queue), at most
 * MaxNumberOfMessagesPerSecond, in Housekeeping commands.
 */
import type { MessageMoveTaskEntry } from './actions.js';

export interface MoveTask {
  readonly taskId: string;
  readonly taskHandle: string;
  readonly sourceArn: string;
  readonly destinationArn: string | undefined;
  readonly maxNumberOfMessagesPerSecond: number | undefined;
  readonly startedAt: number;
  /** Only messages with a sequence number up to this one (those present at the start) move. */
  readonly lastSeq: number;
  readonly toMove: number;
  status: MessageMoveTaskEntry['Status'];
  moved: number;
  /** Time up to which the rate budget has been spent. */
  progressedAt: number;
  failureReason: string | undefined;
}
