/** A long poll whose client hangs up releases its waiter at once, not at the end of its wait. */
import { describe, expect, it } from 'vitest';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { useNode } from './node-fixture.js';
import { sampleValue } from '../../support/prometheus-text.js';

describe('long poll and a disconnecting client', () => {
  const target = useNode();

  const parkedPolls = async (): Promise<number> => {
    const text = await (await fetch(`${target.node().adminEndpoint}/metrics`)).text();
    return Number(sampleValue(text, 'replimq_long_polls_waiting'));
  };
  const eventually = async (expected: number): Promise<void> => {
    for (let attempt = 0; attempt < 100 && (await parkedPolls()) !== expected; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await parkedPolls()).toBe(expected);
  };

  it('drops the parked receive when the connection closes', async () => {
    const { QueueUrl } = await target.sqs().send(new CreateQueueCommand({ QueueName: 'hang-up' }));
    const hangUp = new AbortController();
    const receive = fetch(target.node().sqsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage' },
      body: JSON.stringify({ QueueUrl, WaitTimeSeconds: 20 }),
      signal: hangUp.signal,
    }).catch((error: unknown) => error);
    await eventually(1);
    hangUp.abort();
    expect(await receive).toBeInstanceOf(Error);
    await eventually(0);
  });
});
