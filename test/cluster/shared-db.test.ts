/**
 * Several nodes on one PostgreSQL database: one active node serves, standbys forward to it, a
 * standby takes over when the active node dies or is paused, and no acknowledged send is lost
 * through a kill, a pause, a cut database session or a PostgreSQL restart. Real processes, real
 * PostgreSQL.
 */
import { afterEach, expect, it } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { LocalPostgres, findPostgresBinaries } from '../../client/src/postgres/local-postgres.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../support/postgres.js';
import { createQueue, missing, receiveAll, SendWorkload, SharedDbGroup, type GroupNode } from './shared-db-group.js';
import { waitFor } from './wait-for.js';

describePostgres('shared-db group', () => {
  let database: TestDatabase | undefined;
  let group: SharedDbGroup | undefined;

  const startGroup = async (size: number): Promise<SharedDbGroup> => {
    database = await createTestDatabase();
    group = await new SharedDbGroup(database.url).start(size);
    return group;
  };
  const others = (node: GroupNode): GroupNode[] => group!.running().filter((candidate) => candidate !== node);

  afterEach(async () => {
    await group?.stop();
    await database?.drop();
    group = undefined;
    database = undefined;
  });

  it('has one active node; standbys forward every call to it and say so in /cluster', { timeout: 60_000 }, async () => {
    const nodes = await startGroup(3);
    const active = await nodes.active();
    const [first, second] = others(active);
    const views = await Promise.all(nodes.nodes.map((node) => nodes.cluster(node)));
    expect(views.every((view) => view.mode === 'shared-db' && view.leaderId === active.id && view.database?.connected === true)).toBe(true);
    expect(views.filter((view) => view.role === 'follower')).toHaveLength(2);

    // Written through one standby, read through the other: one state, the database's.
    const queueUrl = await createQueue(first!, 'orders');
    await first!.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const received = await second!.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    expect(received.Messages?.map((message) => message.Body)).toEqual(['hello']);
    const rows = await database!.query(`SELECT count(*)::int AS n FROM replimq_records WHERE key LIKE 'm/us-east-1:000000000000:orders/%'`);
    expect(rows[0]?.['n']).toBe(1);
    // Health says ok on every node: the database answers and an active node is known.
    for (const node of nodes.nodes) expect((await fetch(`${node.process.adminEndpoint}/health`)).status).toBe(200);
  });

  it('a node that joins forwards at once: the active node checks an unknown sender in the members table', { timeout: 60_000 }, async () => {
    const nodes = await startGroup(1);
    await nodes.active();
    // The active node reads the member list about once a second; the newcomer's first call
    // comes well before that.
    const newcomer = await nodes.add('late');
    const queueUrl = await newcomer.sqs.send(new CreateQueueCommand({ QueueName: 'joined' }));
    expect(queueUrl.QueueUrl).toMatch(/joined$/);
  });

  it('a standby takes over when the active node is killed mid-load; nothing acknowledged is lost', { timeout: 90_000 }, async () => {
    const nodes = await startGroup(3);
    const active = await nodes.active();
    const queueUrl = await createQueue(others(active)[0]!, 'load');
    const workload = new SendWorkload(queueUrl, () => others(active).filter((node) => node.state === 'running'));
    await workload.acknowledgedMore(50);
    const epochBefore = (await nodes.cluster(active)).epoch!;

    await nodes.kill(active);
    const successor = await nodes.active();
    expect(successor.id).not.toBe(active.id);
    expect((await nodes.cluster(successor)).epoch).toBeGreaterThan(epochBefore);
    await workload.acknowledgedMore(50);
    await workload.stop();

    const received = await receiveAll(successor, queueUrl);
    expect(missing(workload.acknowledged, received)).toEqual([]);
  });

  it('a paused active node loses the lease; resumed, it writes nothing and serves as a standby', { timeout: 90_000 }, async () => {
    const nodes = await startGroup(3);
    const active = await nodes.active();
    const queueUrl = await createQueue(others(active)[0]!, 'paused');
    const workload = new SendWorkload(queueUrl, () => others(active));
    await workload.acknowledgedMore(30);

    nodes.pause(active);
    const successor = await waitFor('a successor', async () => {
      const views = await Promise.all(others(active).map((node) => nodes.cluster(node)));
      const leader = views.find((view) => view.role === 'leader');
      return leader ? nodes.node(leader.nodeId) : undefined;
    }, { timeoutMs: 15_000 });
    await workload.acknowledgedMore(30);

    // Back from its pause, the former active node finds its lease taken: its writes in flight
    // were refused by the fencing token, and it becomes a standby of the successor.
    nodes.resume(active);
    await waitFor('the resumed node following the successor', async () => {
      const view = await nodes.cluster(active);
      return view.role === 'follower' && view.leaderId === successor.id;
    }, { timeoutMs: 15_000 });
    await workload.acknowledgedMore(20);
    await workload.stop();

    const received = await receiveAll(active, queueUrl);
    expect(missing(workload.acknowledged, received)).toEqual([]);
  });

  it('a killed standby changes nothing for the others', { timeout: 60_000 }, async () => {
    const nodes = await startGroup(3);
    const active = await nodes.active();
    const [standby, survivor] = others(active);
    const queueUrl = await createQueue(survivor!, 'standby-down');
    const workload = new SendWorkload(queueUrl, () => [survivor!]);
    await workload.acknowledgedMore(20);
    await nodes.kill(standby!);
    await workload.acknowledgedMore(20);
    await workload.stop();
    expect((await nodes.active()).id).toBe(active.id);
    expect(missing(workload.acknowledged, await receiveAll(survivor!, queueUrl))).toEqual([]);
  });

  it('the active node\'s database sessions cut, again and again: it reconnects or hands over, nothing acknowledged is lost', { timeout: 90_000 }, async () => {
    const nodes = await startGroup(3);
    const queueUrl = await createQueue(nodes.nodes[0]!, 'cut');
    const workload = new SendWorkload(queueUrl, () => nodes.running());
    await workload.acknowledgedMore(40);

    // A session cut while idle is reopened by the next query (nothing was in doubt); one cut
    // under a write in flight makes the active node drop its state and give the lease up, and
    // whoever wins next loads the database's state. Either way every node goes on.
    for (let cut = 0; cut < 3; cut++) {
      const active = await nodes.active();
      expect(await database!.terminateSessionsOf(active.id)).toBeGreaterThan(0);
      await workload.acknowledgedMore(30);
    }
    await workload.stop();
    const views = await Promise.all(nodes.nodes.map((node) => nodes.cluster(node)));
    const reconnects = views.reduce((sum, view) => sum + Number((view.database as { reconnects?: number } | undefined)?.reconnects ?? 0), 0);
    expect(reconnects).toBeGreaterThan(0);

    const received = await receiveAll(nodes.running()[0]!, queueUrl);
    expect(missing(workload.acknowledged, received)).toEqual([]);
  });

  it.skipIf(findPostgresBinaries() === undefined)('PostgreSQL restarted under load: answers are 503 while it is down, then the group goes on with nothing acknowledged lost', { timeout: 120_000 }, async () => {
    // A server of this test's own, to restart.
    const server = await LocalPostgres.start();
    try {
      group = await new SharedDbGroup(server.createDatabase('restarted')).start(2);
      const queueUrl = await createQueue(group.nodes[0]!, 'restart');
      const workload = new SendWorkload(queueUrl, () => group!.running());
      await workload.acknowledgedMore(40);
      const failuresBefore = workload.failures;
      await server.restart();
      await group.active(30_000);
      await workload.acknowledgedMore(40, 30_000);
      await workload.stop();
      // Sends in flight while it was down were answered 503 (and sent again by the workload).
      expect(workload.failures).toBeGreaterThan(failuresBefore);
      expect(missing(workload.acknowledged, await receiveAll(group.running()[0]!, queueUrl))).toEqual([]);
    } finally {
      await group?.stop();
      group = undefined;
      await server.stop();
    }
  });
});

