/**
 * Hears every command the engine applies, whoever applies it (the raft replicator, on leader and
 * followers alike), by wrapping the engine once at wiring time.
 * Long polling uses it to wake waiters when something may have become receivable.
 */
import type { QueueEngine } from '../engine/queue-engine.js';
import type { CommandEnvelope, CommandName } from '../engine/command.js';

export type AppliedListener = (command: CommandEnvelope) => void;

/** The same engine, except that each successful `apply` is reported to `listener` afterwards. */
export function observeApplied(engine: QueueEngine, listener: AppliedListener): QueueEngine {
  return {
    apply<C extends CommandName>(command: CommandEnvelope<C>) {
      const output = engine.apply(command);
      listener(command as CommandEnvelope);
      return output;
    },
    read: (request) => engine.read(request),
    randomValuesNeeded: (action, input) => engine.randomValuesNeeded(action, input),
    hasReceivable: (queueUrl, account, now) => engine.hasReceivable(queueUrl, account, now),
    receiveChangesNothing: (input, account, now) => engine.receiveChangesNothing(input, account, now),
    nextReceivableAt: (queueUrl, account, now) => engine.nextReceivableAt(queueUrl, account, now),
    queueTags: (queueUrl, account) => engine.queueTags(queueUrl, account),
    queueIdOf: (queueUrl, account) => engine.queueIdOf(queueUrl, account),
    queueAccounts: () => engine.queueAccounts(),
    housekeepingDue: (now) => engine.housekeepingDue(now),
    takeChanges: () => engine.takeChanges(),
    exportRecords: () => engine.exportRecords(),
    importRecords: (records) => engine.importRecords(records),
  };
}
