/** CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue, Get/SetQueueAttributes. */
import type { ActionInput, ActionOutput } from '../actions.js';
import { COOLDOWN_MS, queueDoesNotExist, type CommandContext, type EngineState } from '../engine-state.js';
import { SqsError } from '../errors.js';
import { reportQueueAttributes } from '../queue-attribute-report.js';
import { resolveSettings } from '../queue-attributes.js';
import { isFifoName, validateQueueName } from '../queue-name.js';
import { requestsFifo, unknownAttribute } from '../queue-settings.js';
import { Queue } from '../queue.js';
import { mergeTags } from '../tags.js';
import { checkMaxResults, pageOf } from '../page-token.js';
import { forgetMessages } from './forget-messages.js';
import { redelayWaitingMessages } from './retroactive-delay.js';

export function createQueue(state: EngineState, input: ActionInput<'CreateQueue'>, context: CommandContext): ActionOutput<'CreateQueue'> {
  const name = input.QueueName;
  const given = input.Attributes ?? {};
  const fifo = requestsFifo(given);
  // FifoQueue exists only as `true`: SQS answers `false` as an unknown attribute, whatever the name.
  if (given.FifoQueue !== undefined && !fifo) throw unknownAttribute('FifoQueue');
  validateQueueName(name, fifo);
  const existing = state.queues.get(name);
  if (existing !== undefined) {
    assertSameAttributes(state, existing, given, fifo);
    return { QueueUrl: state.urlOf(existing, context.baseUrl) };
  }
  // Real SQS refuses to re-create a name for 60 s after DeleteQueue. Test suites create and
  // delete queues freely, so replimq, like ElasticMQ, enforces it only when asked to.
  const deletedAt = state.enforceCooldowns ? state.deletedQueues.get(name) : undefined;
  if (deletedAt !== undefined && context.now - deletedAt < COOLDOWN_MS) {
    throw new SqsError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
  }
  const settings = resolveSettings(state, name, fifo, given, undefined);
  const tags = mergeTags(name, {}, input.tags ?? {});
  const queue = new Queue(name, fifo, settings, tags, context.now, state.changes);
  state.queues.set(name, queue);
  state.changes.queue(name);
  if (state.deletedQueues.delete(name)) state.changes.deletedQueue(name);
  return { QueueUrl: state.urlOf(queue, context.baseUrl) };
}

/** CreateQueue on an existing name succeeds only if every given attribute has its current value. */
function assertSameAttributes(state: EngineState, queue: Queue, given: Readonly<Record<string, string>>, fifo: boolean): void {
  const differs = (attribute: string): SqsError =>
    new SqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`);
  if (fifo !== queue.fifo) throw differs('FifoQueue');
  const { FifoQueue: _type, ...settable } = given;
  const wanted = resolveSettings(state, queue.name, fifo, settable, queue.attributes);
  for (const attribute of Object.keys(given)) {
    if (attribute !== 'FifoQueue' && wanted[attribute] !== queue.attributes[attribute]) throw differs(attribute);
  }
}

export function getQueueUrl(state: EngineState, input: ActionInput<'GetQueueUrl'>, baseUrl: string): ActionOutput<'GetQueueUrl'> {
  // The node serves one account: a queue owned by another account is not one of its queues.
  const owner = input.QueueOwnerAWSAccountId;
  if (owner !== undefined && owner !== state.account.accountId) throw queueDoesNotExist();
  const queue = state.queues.get(input.QueueName);
  if (queue === undefined) throw queueDoesNotExist();
  return { QueueUrl: state.urlOf(queue, baseUrl) };
}

export function listQueues(state: EngineState, input: ActionInput<'ListQueues'>, baseUrl: string): ActionOutput<'ListQueues'> {
  checkMaxResults(input.MaxResults);
  const prefix = input.QueueNamePrefix ?? '';
  const names = [...state.queues.keys()].filter((name) => name.startsWith(prefix)).sort();
  const { page, nextToken } = pageOf(names, input.MaxResults, input.NextToken);
  const output: ActionOutput<'ListQueues'> = {};
  if (page.length > 0) output.QueueUrls = page.map((name) => state.urlOf(state.queues.get(name) as Queue, baseUrl));
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}

export function deleteQueue(state: EngineState, input: ActionInput<'DeleteQueue'>, context: CommandContext): ActionOutput<'DeleteQueue'> {
  const queue = state.queueByUrl(input.QueueUrl);
  forgetMessages(state, queue);
  for (const key of queue.deduplication.entries.keys()) state.changes.deduplication(queue.name, key);
  for (const key of queue.receiveAttempts.entries.keys()) state.changes.receiveAttempt(queue.name, key);
  queue.store.clear();
  queue.deduplication.clear();
  queue.receiveAttempts.clear();
  state.queues.delete(queue.name);
  state.changes.queue(queue.name);
  if (state.enforceCooldowns) {
    state.deletedQueues.set(queue.name, context.now);
    state.changes.deletedQueue(queue.name);
    state.housekeepingNeededAt(context.now + COOLDOWN_MS);
  }
  return {};
}

export function purgeQueue(state: EngineState, input: ActionInput<'PurgeQueue'>, context: CommandContext): ActionOutput<'PurgeQueue'> {
  const queue = state.queueByUrl(input.QueueUrl);
  // Real SQS allows one purge per 60 s. Test suites purge in every beforeEach, so replimq
  // enforces it only when asked to; either way a purge completes at once.
  const lastPurge = queue.lastPurgedAt;
  if (state.enforceCooldowns && lastPurge !== undefined && context.now - lastPurge < COOLDOWN_MS) {
    throw new SqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`);
  }
  queue.lastPurgedAt = context.now;
  state.changes.queue(queue.name);
  forgetMessages(state, queue);
  // A purge also ends the FIFO deduplication window: recorded SQS accepts and delivers a message
  // sent after the purge with the deduplication id of one sent before it.
  for (const key of queue.deduplication.entries.keys()) state.changes.deduplication(queue.name, key);
  for (const key of queue.receiveAttempts.entries.keys()) state.changes.receiveAttempt(queue.name, key);
  queue.store.clear();
  queue.deduplication.clear();
  queue.receiveAttempts.clear();
  return {};
}

export function getQueueAttributes(state: EngineState, input: ActionInput<'GetQueueAttributes'>, now: number): ActionOutput<'GetQueueAttributes'> {
  const queue = state.queueByUrl(input.QueueUrl);
  const attributes = reportQueueAttributes(state, queue, input.AttributeNames, now);
  return attributes === undefined ? {} : { Attributes: attributes };
}

export function setQueueAttributes(state: EngineState, input: ActionInput<'SetQueueAttributes'>, context: CommandContext): ActionOutput<'SetQueueAttributes'> {
  const queue = state.queueByUrl(input.QueueUrl);
  if (isFifoName(queue.name) !== queue.fifo) throw new SqsError('InternalFailure', 'Queue type and name disagree.');
  const settings = resolveSettings(state, queue.name, queue.fifo, input.Attributes ?? {}, queue.attributes);
  const delayBefore = queue.delayMs;
  queue.applySettings(settings);
  queue.modifiedAt = context.now;
  state.changes.queue(queue.name);
  if (queue.fifo && queue.delayMs !== delayBefore) redelayWaitingMessages(state, queue, context.now);
  // A shorter retention may make messages due for expiry now.
  const expiry = queue.store.nextExpiryAt(queue.retentionMs);
  if (expiry !== undefined) state.housekeepingNeededAt(expiry);
  return {};
}
