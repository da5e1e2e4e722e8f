/**
 * The transport of a lone node listens on its gRPC port with plain `node:net` and loads gRPC on
 * first use: a node calling it (the connection waits while gRPC loads, then is served), the
 * cluster growing, or the node calling out. A member of many loads gRPC in `start`.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../server/src/admin/faults.js';
import { DeferredGrpcTransport, ipListenAddress } from '../../server/src/cluster/grpc/deferred-grpc-transport.js';
import { GrpcTransport } from '../../server/src/cluster/grpc/grpc-transport.js';
import { CHANGE_MEMBERSHIP_METHOD } from '../../server/src/cluster/grpc/replication-methods.js';
import type { MembershipChangeWire, MembershipReplyWire } from '../../server/src/cluster/grpc/wire-messages.js';
import type { RaftMessage } from '../../server/src/cluster/raft/index.js';
import type { Member, PeerTransport, TransportHandlers } from '../../server/src/cluster/transport.js';
import type { ClusterSecurity } from '../../server/src/cluster/auth/cluster-security.js';
import { secretSecurity } from '../support/cluster-secret.js';
import { makeTestCertificates } from '../support/test-certificates.js';
import { OutsidePeer } from './outside-peer.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

const security = secretSecurity();
const started: PeerTransport[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((transport) => transport.close()));
});

async function member(id: string): Promise<Member> {
  return { id, address: `127.0.0.1:${await freePort()}` };
}

function options(self: Member, known: Member[] = [], withSecurity: ClusterSecurity = security) {
  return { selfId: self.id, members: [self, ...known], faults: new FaultInjector(), electionTimeoutMs: 500, security: withSecurity, mayCallAsNonMember: [CHANGE_MEMBERSHIP_METHOD] };
}

function handlers(received: RaftMessage<unknown>[], changes: MembershipChangeWire[]): TransportHandlers {
  return {
    onMessage: (_from, message) => received.push(message),
    onSnapshotFailed: () => undefined,
    onForward: () => Promise.reject(new Error('no forwarding here')),
    onChangeMembership: (request): Promise<MembershipReplyWire> => {
      changes.push(request);
      return Promise.resolve({ error: '', message: '', leader_id: '', members: [{ id: request.id, address: request.address, role: 'learner' }] });
    },
  };
}

describe('DeferredGrpcTransport', () => {
  it('listens on its port at once and serves the first gRPC caller once gRPC is loaded', async () => {
    const [alone, joiner] = await Promise.all([member('a'), member('d')]);
    const lone = new DeferredGrpcTransport(options(alone), true);
    const changes: MembershipChangeWire[] = [];
    await lone.start(handlers([], changes));
    started.push(lone);
    expect(lone.port).toBe(Number(alone.address.split(':')[1]));
    expect(lone.peers()).toEqual([]);

    const caller = new GrpcTransport(options(joiner));
    started.push(caller);
    const change = { from: 'd', kind: 'add', id: 'd', address: joiner.address } as const;
    const [first, second] = await Promise.all([
      caller.changeMembership(alone, change, Date.now() + 5000),
      caller.changeMembership(alone, change, Date.now() + 5000),
    ]);
    expect(first.members).toEqual([{ id: 'd', address: joiner.address, role: 'learner' }]);
    expect(second.members).toEqual(first.members);
    // And a caller after gRPC was loaded.
    expect((await caller.changeMembership(alone, change, Date.now() + 5000)).members).toEqual(first.members);
    expect(changes).toHaveLength(3);
  });

  it('dials a member added while alone, as a transport loaded at start would', async () => {
    const [a, b] = await Promise.all([member('a'), member('b')]);
    const lone = new DeferredGrpcTransport(options(a), true);
    await lone.start(handlers([], []));
    started.push(lone);
    const heardByB: RaftMessage<unknown>[] = [];
    const peer = new DeferredGrpcTransport(options(b, [a]), true);
    await peer.start(handlers(heardByB, []));
    started.push(peer);

    lone.setMembers([a, b]);
    expect(lone.peers().map((status) => [status.id, status.connected])).toEqual([['b', false]]);
    await waitFor('b to hear a', () => {
      lone.send('b', { type: 'preVote', term: 1, lastIndex: 0, lastTerm: 0 });
      return heardByB.length > 0;
    }, { timeoutMs: 5000, intervalMs: 100 });
    expect(heardByB[0]).toMatchObject({ type: 'preVote', term: 1 });
  });

  it('speaks mutual TLS on connections it held while gRPC loaded: a TLS member is served, a plaintext caller is not', async () => {
    const certificates = makeTestCertificates();
    try {
      const tls = (id: string): ClusterSecurity => {
        const { cert, key } = certificates.issue(id);
        return { ...security, tls: { cert: readFileSync(cert), key: readFileSync(key), ca: readFileSync(certificates.ca) } };
      };
      const [alone, joiner] = await Promise.all([member('a'), member('d')]);
      const lone = new DeferredGrpcTransport(options(alone, [], tls('a')), true);
      const changes: MembershipChangeWire[] = [];
      await lone.start(handlers([], changes));
      started.push(lone);

      // The first connection is a plaintext one: it must not be served in the clear.
      const plaintext = new OutsidePeer(alone.address, grpc.credentials.createInsecure());
      try {
        const outcome = await plaintext.vote({ from: 'd', term: 1, last_index: 0, last_term: 0 }, new grpc.Metadata(), true);
        expect(outcome).toMatchObject({ ok: false, code: grpc.status.UNAVAILABLE });
      } finally {
        plaintext.close();
      }
      const caller = new GrpcTransport(options(joiner, [], tls('d')));
      started.push(caller);
      const change = { from: 'd', kind: 'add', id: 'd', address: joiner.address } as const;
      expect((await caller.changeMembership(alone, change, Date.now() + 5000)).members).toEqual([{ id: 'd', address: joiner.address, role: 'learner' }]);
      expect(changes).toHaveLength(1);
    } finally {
      certificates.remove();
    }
  });

  it('fails start-up when its port is taken, deferred or not', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    try {
      const address = `127.0.0.1:${(blocker.address() as { port: number }).port}`;
      const [other] = await Promise.all([member('b')]);
      for (const transport of [new DeferredGrpcTransport(options({ id: 'a', address }), true), new DeferredGrpcTransport(options({ id: 'a', address }, [other]), true)]) {
        await expect(transport.start(handlers([], []))).rejects.toThrow();
        await transport.close();
      }
    } finally {
      blocker.close();
    }
  });
});

describe('ipListenAddress', () => {
  it('takes IP literals (IPv6 in brackets) and leaves names to gRPC', () => {
    expect(ipListenAddress('127.0.0.1:9326')).toEqual({ host: '127.0.0.1', port: 9326 });
    expect(ipListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(ipListenAddress('0.0.0.0:9326')).toEqual({ host: '0.0.0.0', port: 9326 });
    expect(ipListenAddress('localhost:9326')).toBeUndefined();
    expect(ipListenAddress('127.0.0.1:x')).toBeUndefined();
    expect(ipListenAddress('127.0.0.1')).toBeUndefined();
  });
});
