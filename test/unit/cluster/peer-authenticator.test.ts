/**
 * The decision on every incoming peer call, with an injected clock: who may call, what a
 * credential is bound to (caller, node dialled, method, time), replay, rotation, and the proof
 * the caller checks.
 */
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_WINDOW_MS, PeerAuthenticator, type PresentedCall } from '../../../server/src/cluster/auth/peer-authenticator.js';
import { ClusterKeys } from '../../../server/src/cluster/auth/peer-credential.js';
import { PeerSigner } from '../../../server/src/cluster/auth/peer-signer.js';
import { NonceCache } from '../../../server/src/cluster/auth/nonce-cache.js';

const OLD = 'old-secret-0123456789abcdef';
const NEW = 'new-secret-0123456789abcdef';
const VOTE = '/replimq.replication.v1.Replication/Vote';
const FORWARD = '/replimq.replication.v1.Replication/Forward';

function setup(secrets: string[] = [NEW]) {
  let now = 1_800_000_000_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const authenticator = new PeerAuthenticator({ selfId: 'n1', peers: ['n1', 'n2', 'n3'], keys: new ClusterKeys(secrets), requireCertificate: false, now: clock.now });
  return { clock, authenticator };
}

function call(signerSecrets: string[], options: { from?: string; to?: string; method?: string; at?: number } = {}): { presented: PresentedCall; verifyProof: (proof: string | undefined) => boolean } {
  const signer = new PeerSigner(options.from ?? 'n2', new ClusterKeys(signerSecrets), () => options.at ?? 1_800_000_000_000);
  const signed = signer.sign(options.to ?? 'n1', options.method ?? VOTE);
  return { presented: { peer: signed.peer, credential: signed.credential, method: VOTE, certificate: undefined }, verifyProof: signed.verifyProof };
}

describe('PeerAuthenticator', () => {
  it('accepts a member\'s fresh credential, and its proof convinces the caller', () => {
    const { authenticator } = setup();
    const { presented, verifyProof } = call([NEW]);
    const verdict = authenticator.verify(presented);
    expect(verdict).toMatchObject({ ok: true, peer: 'n2' });
    expect(verifyProof(verdict.ok ? verdict.proof : undefined)).toBe(true);
    expect(verifyProof(undefined)).toBe(false);
  });

  it('refuses a missing, malformed or wrong-secret credential as unauthenticated', () => {
    const { authenticator } = setup();
    const good = call([NEW]).presented;
    for (const presented of [
      { ...good, credential: undefined },
      { ...good, peer: undefined },
      { ...good, credential: 'v1 nonsense' },
      // The next-to-last character: the last one of an unpadded base64 MAC also carries bits
      // that decoding drops ('A' → 'B' there changed nothing, 1 time in 16).
      { ...good, credential: good.credential!.replace(/.(.)$/, (_pair, last: string) => (_pair[0] === 'A' ? 'B' : 'A') + last) },
      call(['wrong-secret-0123456789abcdef']).presented,
    ]) {
      expect(authenticator.verify(presented)).toMatchObject({ ok: false, code: 'unauthenticated' });
    }
  });

  it('binds the credential to the caller, the node dialled and the method', () => {
    const { authenticator } = setup();
    // Made for n3, for Forward, or by n2 but presented as n3's: none verifies on n1's Vote.
    for (const presented of [
      call([NEW], { to: 'n3' }).presented,
      call([NEW], { method: FORWARD }).presented,
      { ...call([NEW]).presented, peer: 'n3' },
    ]) {
      expect(authenticator.verify(presented)).toMatchObject({ ok: false, code: 'unauthenticated' });
    }
  });

  it('accepts a credential once: a replay within the window is refused', () => {
    const { authenticator, clock } = setup();
    const { presented } = call([NEW]);
    expect(authenticator.verify(presented).ok).toBe(true);
    clock.advance(1_000);
    expect(authenticator.verify(presented)).toMatchObject({ ok: false, code: 'unauthenticated', reason: 'replayed credential' });
  });

  it('takes no credential made before it started: a restart forgets nonces, not replays', () => {
    const { authenticator } = setup();
    expect(authenticator.verify(call([NEW], { at: 1_800_000_000_000 - 1 }).presented)).toMatchObject({ ok: false, reason: expect.stringContaining('before this node started') });
  });

  it('refuses a credential outside the time window, either way', () => {
    const { authenticator, clock } = setup();
    const { presented } = call([NEW]);
    clock.advance(CREDENTIAL_WINDOW_MS + 1);
    expect(authenticator.verify(presented)).toMatchObject({ ok: false, reason: expect.stringContaining('time window') });
    const early = call([NEW], { at: 1_800_000_000_000 + 3 * CREDENTIAL_WINDOW_MS }).presented;
    expect(authenticator.verify(early)).toMatchObject({ ok: false, reason: expect.stringContaining('time window') });
  });

  it('refuses a valid credential from a non-member, or from itself, as permission denied', () => {
    const { authenticator } = setup();
    for (const from of ['n9', 'n1']) {
      expect(authenticator.verify(call([NEW], { from }).presented)).toMatchObject({ ok: false, code: 'permission-denied' });
    }
  });

  it('during a rotation, [old, new] and [new] accept each other; [old] alone is refused by [new]', () => {
    const rotating = setup([OLD, NEW]).authenticator;
    const retired = setup([NEW]).authenticator;
    const fromNew = call([NEW]);
    const verdict = rotating.verify(fromNew.presented);
    expect(verdict.ok).toBe(true);
    expect(fromNew.verifyProof(verdict.ok ? verdict.proof : undefined)).toBe(true);
    const fromRotating = call([OLD, NEW]);
    const back = retired.verify(fromRotating.presented);
    expect(back.ok).toBe(true);
    expect(fromRotating.verifyProof(back.ok ? back.proof : undefined)).toBe(true);
    expect(retired.verify(call([OLD]).presented)).toMatchObject({ ok: false, code: 'unauthenticated' });
  });

  it('refuses every call when the node has no secret', () => {
    const authenticator = new PeerAuthenticator({ selfId: 'n1', peers: ['n2'], keys: undefined, requireCertificate: false });
    expect(authenticator.verify(call([NEW]).presented)).toMatchObject({ ok: false, code: 'unauthenticated', reason: expect.stringContaining('no cluster secret') });
  });

  it('with TLS required, refuses a caller without a certificate naming it', () => {
    const authenticator = new PeerAuthenticator({ selfId: 'n1', peers: ['n2'], keys: new ClusterKeys([NEW]), requireCertificate: true, now: () => 1_800_000_000_000 });
    expect(authenticator.verify(call([NEW]).presented)).toMatchObject({ ok: false, code: 'permission-denied' });
  });
});

describe('NonceCache', () => {
  it('forgets a nonce only after its time to live, and stays within its cap', () => {
    const cache = new NonceCache(1_000, 2);
    expect(cache.claim('a', 0)).toBe('fresh');
    expect(cache.claim('a', 999)).toBe('replayed');
    expect(cache.claim('b', 500)).toBe('fresh');
    expect(cache.claim('c', 600)).toBe('full');
    expect(cache.claim('a', 1_000)).toBe('fresh');
    expect(cache.size).toBe(2);
  });
});
