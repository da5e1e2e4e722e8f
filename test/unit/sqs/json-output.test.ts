/** The JSON answer body: written by hand for flat string outputs, by JSON.stringify otherwise — the same bytes either way. */
import { describe, expect, it } from 'vitest';
import { encodeJsonOutput } from '../../../server/src/sqs/json-protocol.js';

describe('encodeJsonOutput', () => {
  it('writes flat string outputs exactly as JSON.stringify does, members in their order', () => {
    const outputs: object[] = [
      { MessageId: '6f1c2a4e-0000-4000-8000-000000000001', MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e' },
      { MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e', MessageId: 'x', SequenceNumber: '18888888888888888888' },
      { QueueUrl: 'http://localhost:9324/000000000000/a-queue_1.fifo?x=1&y=/~' },
      {},
      { MessageId: '' },
    ];
    for (const output of outputs) expect(encodeJsonOutput('SendMessage', output)).toBe(JSON.stringify(output));
  });

  it('leaves every string that needs escaping, and every other value, to JSON.stringify', () => {
    const outputs: object[] = [
      { QueueUrl: 'a"b' },
      { QueueUrl: 'a\\b' },
      { QueueUrl: 'tab\there' },
      { QueueUrl: 'del\u007f' },
      { QueueUrl: 'é' },
      { QueueUrl: '\ud800' },
      { QueueUrl: 'x', NextToken: undefined },
      { Count: 1 },
      { Messages: [{ Body: 'b' }] },
      new (class {
        QueueUrl = 'x';
        toJSON(): object {
          return { QueueUrl: 'y' };
        }
      })(),
      Object.assign(Object.create(null) as object, { QueueUrl: 'x' }),
      { 'Queue"Url': 'x' },
    ];
    for (const output of outputs) expect(encodeJsonOutput('GetQueueUrl', output)).toBe(JSON.stringify(output));
  });

  it('still leaves empty lists and maps out, and writes nothing for actions without output', () => {
    expect(encodeJsonOutput('SendMessageBatch', { Successful: [{ Id: '1' }], Failed: [] })).toBe('{"Successful":[{"Id":"1"}]}');
    expect(encodeJsonOutput('DeleteMessage', {})).toBe('');
  });
});
