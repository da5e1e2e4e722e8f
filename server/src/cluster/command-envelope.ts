/**
 * The one place a leader turns a client's request into a deterministic command: it fixes `now`,
 * draws the random values the engine asked for, and carries the request context. Every node
 * then applies the same envelope to the same effect (engine/command.ts).
 */
import type { ActionInput, ActionName } from '../engine/actions.js';
import type { CommandEnvelope, CommandInput, CommandName } from '../engine/command.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { RequestContext } from './replicator.js';

export interface EnvelopeSource {
  engine: Pick<QueueEngine, 'randomValuesNeeded'>;
  /** The command's `now`, ms since epoch. */
  now: number;
  /** Message ids: ordered within a process (leader-ids.ts), so stored records append. */
  randomId: () => string;
  /** Values a client must not be able to guess — receipt-handle nonces, move-task handles —
   *  stay random (`randomId` when not given: tests inject one deterministic source). */
  secretId?: () => string;
}

/** The actions whose random values are message ids; every other action's are secrets. */
const MAKES_MESSAGE_IDS: ReadonlySet<CommandName> = new Set<CommandName>(['SendMessage', 'SendMessageBatch']);

export function commandEnvelope<C extends CommandName>(
  action: C,
  input: CommandInput<C>,
  context: RequestContext,
  { engine, now, randomId, secretId = randomId }: EnvelopeSource,
): CommandEnvelope<C> {
  // Housekeeping only drops or moves existing messages: it needs no fresh random values.
  const needed = action === 'Housekeeping' ? 0 : engine.randomValuesNeeded(action as ActionName, input as ActionInput<ActionName>);
  // A plain loop: `Array.from({ length }, fn)` goes through the iterator protocol, per write.
  const ids: string[] = [];
  const draw = MAKES_MESSAGE_IDS.has(action) ? randomId : secretId;
  for (let i = 0; i < needed; i++) ids.push(draw());
  return {
    action,
    input,
    now,
    ids,
    baseUrl: context.baseUrl,
    senderId: context.senderId,
    account: context.account,
  } as CommandEnvelope<C>;
}
