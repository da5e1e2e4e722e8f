/**
 * `createEngine`: the pure SQS state machine. `apply` routes each command to its handler,
 * `read` each read-only action; everything else answers questions the node asks about state.
 */
import type { ActionInput, ActionName, ActionOutput } from './actions.js';
import type { CommandEnvelope, CommandName, CommandOutput, ReadOnlyActionName, ReadRequest } from './command.js';
import { CommandContext, EngineState } from './engine-state.js';
import { SqsError } from './errors.js';
import { listDeadLetterSourceQueues } from './handlers/dead-letter-handlers.js';
import { runHousekeeping } from './housekeeping.js';
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from './handlers/message-handlers.js';
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from './handlers/move-task-handlers.js';
import { deleteMessageById, peekMessages } from './handlers/peek-handlers.js';
import { addPermission, removePermission } from './handlers/permission-handlers.js';
import {
  createQueue, deleteQueue, getQueueAttributes, getQueueUrl, listQueues, purgeQueue, setQueueAttributes,
} from './handlers/queue-handlers.js';
import { receiveChangesNothing, receiveIdsNeeded, receiveMessage } from './handlers/receive-handler.js';
import { sendMessage, sendMessageBatch } from './handlers/send-handlers.js';
import { listQueueTags, tagQueue, untagQueue } from './handlers/tag-handlers.js';
import type { Account, QueueId } from './queue-address.js';
import type { Queue } from './queue.js';
import type { EngineOptions, QueueEngine, StateChanges } from './queue-engine.js';
import { exportRecords, importRecords, serializeChanges } from './records.js';

type CommandHandlers = {
  [C in CommandName]: (state: EngineState, input: CommandEnvelope<C>['input'], context: CommandContext) => CommandOutput<C>;
};

const COMMANDS: CommandHandlers = {
  CreateQueue: createQueue,
  DeleteQueue: deleteQueue,
  PurgeQueue: purgeQueue,
  SetQueueAttributes: setQueueAttributes,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  TagQueue: (state, input) => tagQueue(state, input),
  UntagQueue: (state, input) => untagQueue(state, input),
  AddPermission: addPermission,
  RemovePermission: removePermission,
  StartMessageMoveTask: startMessageMoveTask,
  CancelMessageMoveTask: cancelMessageMoveTask,
  DeleteMessageById: deleteMessageById,
  Housekeeping: (state, _input, context) => runHousekeeping(state, context.now),
};

type ReadHandlers = {
  [A in ReadOnlyActionName]: (state: EngineState, input: ActionInput<A>, request: ReadRequest<A>) => ActionOutput<A>;
};

const READS: ReadHandlers = {
  GetQueueUrl: (state, input, request) => getQueueUrl(state, input, request.baseUrl),
  ListQueues: (state, input, request) => listQueues(state, input, request.baseUrl),
  GetQueueAttributes: (state, input, request) => getQueueAttributes(state, input, request.now),
  ListQueueTags: (state, input) => listQueueTags(state, input),
  ListDeadLetterSourceQueues: (state, input, request) => listDeadLetterSourceQueues(state, input, request.baseUrl),
  ListMessageMoveTasks: (state, input) => listMessageMoveTasks(state, input),
  PeekMessages: (state, input, request) => peekMessages(state, input, request.now),
};

export function createEngine(options: EngineOptions): QueueEngine {
  let state = new EngineState(options);

  return {
    apply<C extends CommandName>(command: CommandEnvelope<C>): CommandOutput<C> {
      const handler = COMMANDS[command.action] as CommandHandlers[C] | undefined;
      if (handler === undefined) throw new SqsError('InvalidAction', `The action ${String(command.action)} is not valid for this endpoint.`);
      // Entries from before accounts carry none: they were made in the node's own.
      const account = command.account ?? state.account;
      state.caller = account;
      state.callerAction = command.action;
      const context = new CommandContext(command.now, command.ids, command.baseUrl, command.senderId, account);
      return handler(state, command.input, context);
    },

    read<A extends ReadOnlyActionName>(request: ReadRequest<A>): ActionOutput<A> {
      const handler = READS[request.action] as ReadHandlers[A] | undefined;
      if (handler === undefined) throw new SqsError('InvalidAction', `The action ${String(request.action)} is not valid for this endpoint.`);
      state.caller = request.account ?? state.account;
      state.callerAction = request.action;
      return handler(state, request.input, request);
    },

    randomValuesNeeded<A extends ActionName>(action: A, input: ActionInput<A>): number {
      switch (action) {
        case 'SendMessage':
        case 'StartMessageMoveTask':
          return 1;
        case 'SendMessageBatch':
          return (input as ActionInput<'SendMessageBatch'>).Entries?.length ?? 0;
        case 'ReceiveMessage':
          return receiveIdsNeeded(input as ActionInput<'ReceiveMessage'>);
        default:
          return 0;
      }
    },

    hasReceivable(queueUrl: string, account: Account, now: number): boolean {
      return queueAt(state, queueUrl, account)?.store.hasReceivable(now) ?? false;
    },

    receiveChangesNothing(input: ActionInput<'ReceiveMessage'>, account: Account, now: number): boolean {
      return receiveChangesNothing(state, input, account, now);
    },

    nextReceivableAt(queueUrl: string, account: Account, now: number): number | undefined {
      return queueAt(state, queueUrl, account)?.store.nextVisibleAfter(now);
    },

    queueTags(queueUrl: string, account: Account): Readonly<Record<string, string>> | undefined {
      return queueAt(state, queueUrl, account)?.tags;
    },

    queueIdOf(queueUrl: string, account: Account): QueueId | undefined {
      return queueAt(state, queueUrl, account)?.id;
    },

    queueAccounts(): Account[] {
      const accounts = new Map<string, Account>();
      for (const queue of state.queues.values()) accounts.set(`${queue.account.region}:${queue.account.accountId}`, queue.account);
      return [...accounts.values()];
    },

    housekeepingDue(now: number): boolean {
      return now >= state.nextHousekeepingAt;
    },

    takeChanges(): StateChanges {
      return serializeChanges(state, state.changes.take());
    },

    exportRecords(): IterableIterator<[string, string]> {
      return exportRecords(state);
    },

    importRecords(records: Iterable<[string, string]>): void {
      const fresh = new EngineState(options);
      importRecords(fresh, records);
      state = fresh;
    },
  };
}

/** The node asks about a queue outside any command (may a long poll park, which ack mode). A
 *  queue the caller may not receive from is none: its long poll goes to the engine at once and
 *  gets AccessDenied instead of waiting out an empty answer. (So another account's sender
 *  without that grant gets the default ack mode.) */
function queueAt(state: EngineState, queueUrl: string, account: Account): Queue | undefined {
  try {
    return state.findQueueByUrl(queueUrl, account, 'ReceiveMessage');
  } catch {
    return undefined;
  }
}
