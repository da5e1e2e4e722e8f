/**
 * The testkit's side of SQS's failure modes on demand: `withChaos(…)` gives a node its rules at
 * start-up (through `REPLIMQ_CHAOS`), and the admin client reads, replaces and clears them.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../client/src/errors.js';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { ReplimqProcess } from '../../client/src/process-node.js';

describe('testkit chaos', () => {
  it('starts a node with chaos rules, and the admin client reads, replaces and clears them', async () => {
    await using node = await new ReplimqProcess()
      .withChaos({ seed: 9, errors: [{ actions: ['SendMessage'], rate: 1, error: 'ServiceUnavailable' }] })
      .start();
    const sqs = node.sqsClient({ maxAttempts: 1 });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'testkit-chaos' }));
    await expect(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    expect(await node.admin().chaos()).toMatchObject({ enabled: true, rules: { seed: 9 }, injected: { errors: 1 } });

    await node.admin().setChaos({ duplicates: { rate: 1 } });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'twice' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(second.Messages?.[0]?.MessageId).toBe(first.Messages?.[0]?.MessageId);

    expect(await node.admin().clearChaos()).toMatchObject({ enabled: false });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'y' }))).resolves.toMatchObject({ MessageId: expect.any(String) });
    sqs.destroy();
  });

  it('refuses rules that are not an object when they are set', () => {
    expect(() => new ReplimqCluster(3).withChaos([] as never)).toThrow(InvalidOptionError);
  });
});
