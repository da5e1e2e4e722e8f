/**
 * What a node's cluster-plane settings do at start-up: several members without a secret is a
 * one-line configuration error (exit 2) saying how to set one; `--insecure-cluster` starts anyway
 * and warns once; a secret is checked without ever being echoed; and a single node, having no
 * member to hear from, refuses every call on its gRPC port, with or without a secret.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterKeys, AUTH_HEADER, PEER_HEADER } from '../../../server/src/cluster/auth/peer-credential.js';
import { PeerSigner } from '../../../server/src/cluster/auth/peer-signer.js';
import { freePort } from '../../cluster/free-port.js';
import { METHOD_PREFIX, OutsidePeer } from '../../cluster/outside-peer.js';
import { randomClusterSecret } from '../../support/cluster-secret.js';
import { runCli, startNodeProcess, type NodeProcess } from '../../support/start-node.js';

const THREE_PEERS = ['--node-id', 'n1', '--peers', 'n1@127.0.0.1:19001,n2@127.0.0.1:19002,n3@127.0.0.1:19003'];

function expectOneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('cluster-plane settings at start-up', () => {
  let node: NodeProcess | undefined;
  const peers: OutsidePeer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.close();
    await node?.stop('SIGKILL');
    node = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a node of several members without a secret, in one line saying how to set one', async () => {
    const result = await runCli(THREE_PEERS);
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(/^replimq: a cluster of several nodes needs a shared secret: set REPLIMQ_CLUSTER_SECRET .*--insecure-cluster/);
  });

  it('starts without a secret when --insecure-cluster says so, and warns once', async () => {
    node = await startNodeProcess([...THREE_PEERS, '--insecure-cluster']);
    const warnings = node.stderr().split('\n').filter((line) => line.includes('NOT authenticated'));
    expect(warnings).toHaveLength(1);
  });

  it.each([
    { what: 'a short secret', args: ['--cluster-secret', 'short-secret'], says: 'cluster secret #1 must be at least 16 characters' },
    { what: 'a secret and a secret file', args: ['--cluster-secret', 'a-long-enough-secret-1', '--cluster-secret-file', '/etc/hostname'], says: 'not both' },
    { what: 'a missing secret file', args: ['--cluster-secret-file', '/does/not/exist'], says: 'cannot read --cluster-secret-file /does/not/exist' },
    { what: 'a secret with --insecure-cluster', args: ['--cluster-secret', 'a-long-enough-secret-1', '--insecure-cluster'], says: 'contradicts' },
    { what: 'half of the TLS files', args: ['--cluster-secret', 'a-long-enough-secret-1', '--tls-cert', '/etc/hostname'], says: 'all three of --tls-cert, --tls-key and --tls-ca' },
  ])('rejects $what with exit code 2 and one line that shows no secret', async ({ args, says }) => {
    const result = await runCli([...THREE_PEERS, ...args]);
    expect(result.code).toBe(2);
    const line = expectOneLine(result.stderr);
    expect(line).toContain(says);
    expect(line).not.toMatch(/short-secret|a-long-enough-secret/);
  });

  it('reads the secrets of a rotation from a file, one per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replimq-secret-'));
    dirs.push(dir);
    const file = join(dir, 'secret');
    writeFileSync(file, `# the new secret first\n${randomClusterSecret()}\n\n${randomClusterSecret()}\n`);
    node = await startNodeProcess([...THREE_PEERS, '--cluster-secret-file', file]);
    expect(node.stderr()).not.toContain('NOT authenticated');
  });

  describe('a single node', () => {
    const vote = { from: 'n2', term: 99, last_index: 99, last_term: 99 };

    it('refuses every peer call when it has no secret', async () => {
      const grpcPort = await freePort();
      node = await startNodeProcess(['--grpc-port', String(grpcPort)]);
      const outsider = new OutsidePeer(`127.0.0.1:${grpcPort}`);
      peers.push(outsider);
      const metadata = new grpc.Metadata();
      metadata.set(PEER_HEADER, 'n2');
      expect(await outsider.vote(vote, metadata)).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.stringContaining('no cluster secret') });
      expect(await outsider.forward({ from: 'n2', action: 'CreateQueue', input_json: '{"QueueName":"x"}', base_url: 'http://x', sender_id: 'x' }, metadata)).toMatchObject({
        ok: false,
        code: grpc.status.UNAUTHENTICATED,
      });
    });

    it('refuses a valid credential too: no caller is a member', async () => {
      const grpcPort = await freePort();
      const secret = randomClusterSecret();
      node = await startNodeProcess(['--grpc-port', String(grpcPort)], { env: { REPLIMQ_CLUSTER_SECRET: secret } });
      const outsider = new OutsidePeer(`127.0.0.1:${grpcPort}`);
      peers.push(outsider);
      const signed = new PeerSigner('n2', new ClusterKeys([secret])).sign('n1', `${METHOD_PREFIX}Vote`);
      const metadata = new grpc.Metadata();
      metadata.set(PEER_HEADER, signed.peer);
      metadata.set(AUTH_HEADER, signed.credential);
      expect(await outsider.vote(vote, metadata)).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED, details: expect.stringContaining('not a member') });
    });
  });
});
