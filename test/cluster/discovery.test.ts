/**
 * `--discover dns:NAME --bootstrap-expect 3` end to end: three node processes that know neither
 * each other's ids nor addresses, a DNS server speaking the real protocol over UDP (DnsStandIn)
 * whose SRV records list them as they "appear", ids from each node's $HOSTNAME. They form one
 * cluster only once the third appears, replicate, and a SQLite node restarted afterwards comes
 * back from its bootstrap record (DNS no longer matters). The formed-member probe recognises a
 * formed member only for its own members and secret; the identify call refuses callers without
 * the secret and is not fooled by a server without it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentifyServer, identify } from '../../server/src/discovery/identify-service.js';
import { BOOTSTRAP_RECORD_FILE } from '../../server/src/discovery/bootstrap-record.js';
import { answersAsFormedMember } from '../../server/src/discovery/formed-probe.js';
import { DnsStandIn } from '../support/dns-stand-in.js';
import { randomClusterSecret, secretSecurity } from '../support/cluster-secret.js';
import { makeTestCertificates } from '../support/test-certificates.js';
import { ClusterNode } from './local-cluster.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

const NAME = 'replimq.discovery.test';
const ids = ['d1', 'd2', 'd3'];

describe('--discover dns: with --bootstrap-expect', () => {
  const dns = new DnsStandIn();
  const dataRoot = mkdtempSync(join(tmpdir(), 'replimq-discovery-'));
  const secret = randomClusterSecret();
  const nodes: ClusterNode[] = [];

  beforeAll(async () => {
    await dns.start();
    for (const id of ids) {
      const ports = { sqs: await freePort(), admin: await freePort(), grpc: await freePort() };
      nodes.push(
        new ClusterNode(id, ports, [
          '--discover', `dns:${NAME}`,
          '--bootstrap-expect', '3',
          '--bind', '127.0.0.1',
          '--sqs-port', String(ports.sqs),
          '--admin-port', String(ports.admin),
          '--grpc-port', String(ports.grpc),
          '--storage', 'sqlite',
          '--data-dir', join(dataRoot, id),
          '--election-timeout-ms', '500',
        ], { HOSTNAME: id, REPLIMQ_CLUSTER_SECRET: secret, REPLIMQ_DISCOVER_DNS_SERVER: dns.server }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    await dns.close();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  const publish = (members: ClusterNode[]): void =>
    dns.setSrv(`_replimq._tcp.${NAME}`, members.map((node) => ({ target: 'localhost', port: node.ports.grpc })));
  const explain = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${nodes.map((node) => `--- ${node.id}\n${node.log.slice(-15).join('\n')}`).join('\n')}`);
    }
  };

  it('waits while two of three are in DNS, then forms one cluster of the three, named by their host names', async () => {
    publish(nodes.slice(0, 2));
    for (const node of nodes) node.start();
    await explain(() => waitFor('d1 and d2 to report 2 of 3 found', () => nodes.slice(0, 2).every((node) => node.log.some((line) => line.includes('2 of 3 expected members found'))), { timeoutMs: 15_000 }));
    expect(nodes.some((node) => node.log.some((line) => line.includes('cluster formed')))).toBe(false);

    publish(nodes);
    const views = await explain(() =>
      waitFor(
        'one leader agreed on by d1, d2 and d3',
        async () => {
          const all = await Promise.all(nodes.map((node) => node.cluster()));
          const leader = all[0]!.leaderId;
          return leader && all.every((view) => view.leaderId === leader) ? all : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      ),
    );
    for (const view of views) expect([view.nodeId, ...view.peers.map((peer) => peer.id)].sort()).toEqual(ids);
    for (const id of ids) {
      const record = JSON.parse(readFileSync(join(dataRoot, id, BOOTSTRAP_RECORD_FILE), 'utf8')) as { lock: string[]; members: { id: string }[] };
      expect(record.lock).toEqual(ids);
      expect(record.members.map((member) => member.id)).toEqual(ids);
    }
  });

  it('lets a member still forming recognise a formed one by its raft port, and nobody else', async () => {
    const d2 = { host: 'localhost', port: nodes[1]!.ports.grpc };
    const ours = secretSecurity(secret);
    expect(await answersAsFormedMember('d1', ours, 'd2', d2, 2_000)).toBe(true);
    // Not a member of its configuration, another id than the one answering, another secret.
    expect(await answersAsFormedMember('d9', ours, 'd2', d2, 2_000)).toBe(false);
    expect(await answersAsFormedMember('d1', ours, 'd3', d2, 2_000)).toBe(false);
    expect(await answersAsFormedMember('d1', secretSecurity(randomClusterSecret()), 'd2', d2, 2_000)).toBe(false);
  });

  it('replicates, and a restarted member comes back from its record without DNS', async () => {
    await explain(() => waitFor('every node healthy', async () => (await Promise.all(nodes.map(async (node) => (await fetch(`${node.adminUrl}/health`)).status))).every((s) => s === 200), { timeoutMs: 15_000 }));
    const { QueueUrl } = await nodes[0]!.sqs().send(new CreateQueueCommand({ QueueName: 'discovered' }));
    await nodes[1]!.sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'before the restart' }));

    const restarted = nodes[2]!;
    await restarted.kill();
    dns.setSrv(`_replimq._tcp.${NAME}`, []);
    restarted.log.length = 0;
    restarted.start();
    await explain(() => waitFor('d3 healthy again', async () => (await fetch(`${restarted.adminUrl}/health`).catch(() => undefined))?.status === 200, { timeoutMs: 20_000 }));
    expect(restarted.log.some((line) => line.includes('bootstrap record'))).toBe(true);
    const { Messages } = await restarted.sqs().send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    expect(Messages?.[0]?.Body).toBe('before the restart');
  });
});

describe('the identify call', () => {
  it('answers only callers that prove the secret, and its answer is trusted only with the proof', async () => {
    const security = secretSecurity(randomClusterSecret());
    const server = new IdentifyServer({ keys: security.keys!, tls: undefined, identity: () => ({ id: 'x1', hostname: 'x1', lock: ['x1', 'x2'], expect: 2 }) });
    const port = await server.listen('127.0.0.1:0');
    try {
      const address = { host: '127.0.0.1', port };
      expect(await identify('x2', security, address, 2_000)).toEqual({ ok: true, identity: { id: 'x1', hostname: 'x1', lock: ['x1', 'x2'], expect: 2 } });
      const outsider = await identify('x3', secretSecurity(randomClusterSecret()), address, 2_000);
      expect(outsider).toMatchObject({ ok: false, reason: expect.stringContaining('does not verify') });
    } finally {
      await server.close();
    }
    // A server without our secret cannot pass as a member, whatever it answers.
    const impostor = new IdentifyServer({ keys: secretSecurity(randomClusterSecret()).keys!, tls: undefined, identity: () => ({ id: 'x1', hostname: 'x1', lock: undefined, expect: 2 }) });
    const impostorPort = await impostor.listen('127.0.0.1:0');
    try {
      expect((await identify('x2', security, { host: '127.0.0.1', port: impostorPort }, 2_000)).ok).toBe(false);
    } finally {
      await impostor.close();
    }
  });

  it('works over mutual TLS between certificates of the cluster\'s CA', async () => {
    const certificates = makeTestCertificates();
    const material = (name: string) => {
      const issued = certificates.issue(name);
      return { cert: readFileSync(issued.cert), key: readFileSync(issued.key), ca: readFileSync(certificates.ca) };
    };
    const keys = secretSecurity(randomClusterSecret()).keys!;
    const server = new IdentifyServer({ keys, tls: material('x1'), identity: () => ({ id: 'x1', hostname: 'x1', lock: undefined, expect: 2 }) });
    const port = await server.listen('127.0.0.1:0');
    try {
      const answer = await identify('x2', { mode: 'authenticated', keys, tls: material('x2') }, { host: '127.0.0.1', port }, 5_000);
      expect(answer).toMatchObject({ ok: true, identity: { id: 'x1' } });
      // Without a client certificate the TLS handshake itself refuses the caller.
      expect((await identify('x2', { mode: 'authenticated', keys, tls: undefined }, { host: '127.0.0.1', port }, 2_000)).ok).toBe(false);
    } finally {
      await server.close();
      certificates.remove();
    }
  });
});
