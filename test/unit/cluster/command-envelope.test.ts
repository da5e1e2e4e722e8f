/** Which source each leader-drawn value comes from: message ids from the ordered source (they key
 *  stored records), receipt nonces and move-task handles from the random one (a sender knows its
 *  message ids, so an ordered nonce would let it guess another consumer's receipt handle). */
import { describe, expect, it } from 'vitest';
import { commandEnvelope } from '../../../server/src/cluster/command-envelope.js';
import type { ActionInput, ActionName } from '../../../server/src/engine/actions.js';
import type { CommandInput, CommandName } from '../../../server/src/engine/command.js';

const context = { baseUrl: 'http://localhost:9324', senderId: 'tester', account: { accountId: '000000000000', region: 'us-east-1' } };
const engine = { randomValuesNeeded: (action: ActionName, _input: ActionInput<ActionName>) => (action === 'SendMessageBatch' ? 2 : 1) };

function drawn<C extends CommandName>(action: C, input: CommandInput<C>): string[] {
  let ordered = 0;
  let secret = 0;
  const envelope = commandEnvelope(action, input, context as never, {
    engine,
    now: 1,
    randomId: () => `ordered-${++ordered}`,
    secretId: () => `secret-${++secret}`,
  });
  return envelope.ids;
}

describe('commandEnvelope', () => {
  it('draws message ids from the ordered source', () => {
    expect(drawn('SendMessage', { QueueUrl: 'q', MessageBody: 'x' } as never)).toEqual(['ordered-1']);
    expect(drawn('SendMessageBatch', { QueueUrl: 'q', Entries: [] } as never)).toEqual(['ordered-1', 'ordered-2']);
  });

  it('draws receipt nonces and move-task handles from the secret source', () => {
    expect(drawn('ReceiveMessage', { QueueUrl: 'q' } as never)).toEqual(['secret-1']);
    expect(drawn('StartMessageMoveTask', { SourceArn: 'arn' } as never)).toEqual(['secret-1']);
  });

  it('uses the one injected source for both when no secret source is given (deterministic tests)', () => {
    const envelope = commandEnvelope('ReceiveMessage', { QueueUrl: 'q' } as never, context as never, { engine, now: 1, randomId: () => 'only' });
    expect(envelope.ids).toEqual(['only']);
  });
});
