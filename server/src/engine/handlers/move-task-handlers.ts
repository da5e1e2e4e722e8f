/**
 * StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask. The moving itself happens
 * in Housekeeping (`move-task-progress.ts`), paced by the task's rate and the leader's clock.
 */
import type { ActionInput, ActionOutput, MessageMoveTaskEntry } from '../actions.js';
import { accessDenied, type CommandContext, type EngineState } from '../engine-state.js';
import { SqsError } from '../errors.js';
import type { MoveTask } from '../move-task.js';
import { parseQueueArn } from '../queue-address.js';
import type { Queue } from '../queue.js';
import { nextMoveTaskStepAt } from '../move-task-progress.js';
import { deadLetterSourcesOf } from './dead-letter-handlers.js';

const MAX_RATE = 500;
const MAX_LISTED_TASKS = 10;

export function startMessageMoveTask(state: EngineState, input: ActionInput<'StartMessageMoveTask'>, context: CommandContext): ActionOutput<'StartMessageMoveTask'> {
  const source = existingQueue(state, input.SourceArn, 'SourceArn');
  const destination = input.DestinationArn === undefined ? undefined : existingQueue(state, input.DestinationArn, 'DestinationArn');
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE)) {
    throw new SqsError('InvalidParameterValue', `Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and ${MAX_RATE}.`);
  }
  if (deadLetterSourcesOf(state, source).length === 0) {
    throw new SqsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
  }
  // Developer Guide, DLQ redrive: any queue may be the destination "if both queues are the same
  // type" (the original sources always are: a RedrivePolicy needs a DLQ of its own type).
  if (destination !== undefined && destination.fifo !== source.fifo) {
    throw new SqsError('InvalidParameterValue', 'The destination queue must be the same type as the source queue.');
  }
  for (const task of state.moveTasks.values()) {
    if (task.status === 'RUNNING' && task.sourceArn === input.SourceArn) {
      throw new SqsError('InvalidParameterValue', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    }
  }
  const taskId = context.takeId();
  const task: MoveTask = {
    taskId,
    taskHandle: encodeTaskHandle(taskId, input.SourceArn),
    sourceArn: input.SourceArn,
    destinationArn: input.DestinationArn,
    maxNumberOfMessagesPerSecond: rate,
    startedAt: context.now,
    lastSeq: source.store.nextSeq - 1,
    toMove: source.store.countsAt(context.now).visible,
    status: 'RUNNING',
    moved: 0,
    progressedAt: context.now,
    failureReason: undefined,
  };
  state.moveTasks.set(taskId, task);
  state.changes.moveTask(taskId);
  const firstStepAt = nextMoveTaskStepAt(state);
  if (firstStepAt !== undefined) state.housekeepingNeededAt(firstStepAt);
  return { TaskHandle: task.taskHandle };
}

export function listMessageMoveTasks(state: EngineState, input: ActionInput<'ListMessageMoveTasks'>): ActionOutput<'ListMessageMoveTasks'> {
  existingQueue(state, input.SourceArn, 'SourceArn');
  const max = input.MaxResults ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > MAX_LISTED_TASKS) {
    throw new SqsError('InvalidParameterValue', `Value ${max} for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and ${MAX_LISTED_TASKS}.`);
  }
  const tasks = [...state.moveTasks.values()].filter((task) => task.sourceArn === input.SourceArn);
  return { Results: tasks.reverse().slice(0, max).map(describeTask) };
}

export function cancelMessageMoveTask(state: EngineState, input: ActionInput<'CancelMessageMoveTask'>): ActionOutput<'CancelMessageMoveTask'> {
  const decoded = decodeTaskHandle(input.TaskHandle);
  existingQueue(state, decoded.sourceArn, 'SourceArn');
  const task = state.moveTasks.get(decoded.taskId);
  if (task === undefined || task.sourceArn !== decoded.sourceArn || task.status !== 'RUNNING') {
    throw new SqsError('ResourceNotFoundException', 'Task does not exist.');
  }
  task.status = 'CANCELLED';
  state.changes.moveTask(task.taskId);
  return { ApproximateNumberOfMessagesMoved: task.moved };
}

function describeTask(task: MoveTask): MessageMoveTaskEntry {
  const entry: MessageMoveTaskEntry = {
    Status: task.status,
    SourceArn: task.sourceArn,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    StartedTimestamp: task.startedAt,
  };
  if (task.status === 'RUNNING') entry.TaskHandle = task.taskHandle;
  if (task.destinationArn !== undefined) entry.DestinationArn = task.destinationArn;
  if (task.maxNumberOfMessagesPerSecond !== undefined) entry.MaxNumberOfMessagesPerSecond = task.maxNumberOfMessagesPerSecond;
  if (task.failureReason !== undefined) entry.FailureReason = task.failureReason;
  return entry;
}

/** The caller's queue an ARN names. Another account's is refused; another region's is not
 *  there, as a region's SQS endpoint knows only its own queues. */
function existingQueue(state: EngineState, arn: string, parameter: 'SourceArn' | 'DestinationArn'): Queue {
  const parsed = parseQueueArn(arn);
  if (parsed !== undefined && parsed.account.accountId !== state.caller.accountId) throw accessDenied(arn);
  const queue = parsed === undefined || parsed.account.region !== state.caller.region ? undefined : state.queueByArn(arn);
  if (queue === undefined || state.arnOf(queue) !== arn) {
    throw new SqsError('ResourceNotFoundException', `The resource that you specified for the ${parameter} parameter doesn't exist.`);
  }
  return queue;
}

/** Task handles carry the task id and source ARN, base64-encoded JSON like SQS's own. */
function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

function decodeTaskHandle(handle: string): { taskId: string; sourceArn: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    const { taskId, sourceArn } = parsed as { taskId?: unknown; sourceArn?: unknown };
    if (typeof taskId === 'string' && typeof sourceArn === 'string') return { taskId, sourceArn };
  } catch {
    // reported below
  }
  throw new SqsError('InvalidParameterValue', 'Value for parameter TaskHandle is invalid.');
}
