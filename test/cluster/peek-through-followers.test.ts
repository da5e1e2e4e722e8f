/**
 * A real 3-node cluster: the developer endpoint and the admin page's actions on a follower read
 * and change the leader's state, as every SQS call does — and an isolated follower refuses
 * rather than show its own, possibly stale, copy.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { clusterPerTest } from './cluster-per-test.js';

const { startCluster, client } = clusterPerTest();

const bodiesIn = (xml: string): string[] => [...xml.matchAll(/<Body>([^<]*)<\/Body>/g)].map((match) => match[1]!);

describe('peeking and acting through followers', () => {
  it('peeks, purges and runs admin actions on a follower against the leader', { timeout: 90_000 }, async () => {
    const cluster = await startCluster({ size: 3 });
    const leader = await cluster.leader();
    const [follower] = await cluster.followers();
    const sqs = client(leader);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'peeked' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'sent to the leader' }));

    const peek = (node: typeof leader): Promise<Response> =>
      fetch(`${node.sqsUrl}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(QueueUrl!)}&ShowInvisible=true`);
    const onFollower = await peek(follower!);
    expect(onFollower.status).toBe(200);
    expect(bodiesIn(await onFollower.text())).toEqual(['sent to the leader']);

    // The admin page's actions on the follower: proposed on the leader, replicated.
    const admin = async (action: string, input: object): Promise<{ output: { MessageId?: string } }> =>
      follower!.admin('/sqs', { method: 'POST', body: { action, input } });
    const { output } = await admin('SendMessage', { QueueUrl, MessageBody: 'sent from a follower page' });
    expect(bodiesIn(await (await peek(leader)).text())).toEqual(['sent to the leader', 'sent from a follower page']);
    await admin('DeleteMessageById', { QueueUrl, MessageId: output.MessageId! });
    expect(bodiesIn(await (await peek(leader)).text())).toEqual(['sent to the leader']);

    const purge = await fetch(`${follower!.sqsUrl}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(QueueUrl!)}`, { method: 'DELETE' });
    expect(purge.status).toBe(200);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
  });

  it('answers 503 on a follower cut off from the leader instead of its own copy', { timeout: 90_000 }, async () => {
    const cluster = await startCluster({ size: 3, electionTimeoutMs: 300 });
    const leader = await cluster.leader();
    const [follower, other] = await cluster.followers();
    const sqs = client(leader);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'cut-off' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'replicated everywhere' }));
    // The follower holds the message too (majority ack), then loses every peer.
    await follower!.admin('/faults', { method: 'POST', body: { isolate: [leader.id, other!.id] } });
    const response = await fetch(`${follower!.sqsUrl}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(QueueUrl!)}`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('<Code>ServiceUnavailable</Code>');
  });
});
