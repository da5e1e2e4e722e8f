/**
 * The Discovery service of proto/discovery.proto: who answers at an address, proven with the
 * cluster secret both ways. The server side runs on the gRPC port only while the node forms
 * (form-cluster.ts); `identify()` is the calling side.
 *
 * Credentials reuse the replication plane's MACs (peer-credential.ts) with a method string of
 * their own, so neither kind can ever pass as the other: the caller's claim has an empty `to`
 * (it does not know whom it dials) and the answer's proof covers a digest of the answer, so
 * nobody without the secret can alter the id or the lock on the way.
 */
import { createHash } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ClusterSecurity, TlsMaterial } from '../cluster/auth/cluster-security.js';
import { CREDENTIAL_WINDOW_MS } from '../cluster/auth/peer-authenticator.js';
import { ClusterKeys, newNonce, parseCredential, type CallClaim } from '../cluster/auth/peer-credential.js';
import { serverCredentials } from '../cluster/grpc/peer-channel-credentials.js';
import { LOADER_OPTIONS, locateReplicationProto } from '../cluster/grpc/replication-proto.js';
import type { MemberAddress } from './bootstrap-decision.js';

export const IDENTIFY_METHOD = '/replimq.discovery.v1.Discovery/Identify';

interface IdentifyRequest {
  from: string;
  timestamp_ms: number;
  nonce: string;
  credential: string;
}

interface IdentifyReply {
  node_id: string;
  hostname: string;
  lock: string[];
  expect: number;
  proof: string;
}

/** What a node says about itself. */
export interface Identity {
  id: string;
  hostname: string;
  lock: readonly string[] | undefined;
  expect: number;
}

let cached: grpc.ServiceClientConstructor | undefined;

function discoveryService(): grpc.ServiceClientConstructor {
  if (!cached) {
    // discovery.proto ships beside replication.proto (proto/ in the package and the checkout).
    const definition = protoLoader.loadSync(join(dirname(locateReplicationProto()), 'discovery.proto'), LOADER_OPTIONS);
    const loaded = grpc.loadPackageDefinition(definition) as unknown as { replimq: { discovery: { v1: { Discovery: grpc.ServiceClientConstructor } } } };
    cached = loaded.replimq.discovery.v1.Discovery;
  }
  return cached;
}

function answerDigest(identity: Omit<IdentifyReply, 'proof'>): string {
  return createHash('sha256')
    .update(JSON.stringify([identity.node_id, identity.hostname, identity.lock, identity.expect]))
    .digest('base64url');
}

function proofClaim(caller: string, timestampMs: number, nonce: string, answer: Omit<IdentifyReply, 'proof'>): CallClaim {
  return { from: answer.node_id, to: caller, method: `${IDENTIFY_METHOD} ${answerDigest(answer)}`, timestampMs, nonce };
}

export interface IdentifyServerOptions {
  keys: ClusterKeys;
  tls: TlsMaterial | undefined;
  /** Read on every call: the lock changes while the node forms. */
  identity(): Identity;
  now?: () => number;
}

/** A gRPC server answering Identify only; `listen` binds, `close` frees the port for raft. */
export class IdentifyServer {
  private readonly server = new grpc.Server();

  constructor(private readonly options: IdentifyServerOptions) {
    this.server.addService(discoveryService().service, {
      Identify: (call: grpc.ServerUnaryCall<IdentifyRequest, IdentifyReply>, callback: grpc.sendUnaryData<IdentifyReply>) => {
        const reply = this.answer(call.request);
        if (typeof reply === 'string') callback({ code: grpc.status.UNAUTHENTICATED, details: reply });
        else callback(null, reply);
      },
    });
  }

  listen(address: string): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync(address, serverCredentials(this.options.tls), (error, port) => (error ? reject(error) : resolve(port))),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const force = setTimeout(() => this.server.forceShutdown(), 500);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  /** The reply, or why the caller is refused (it learns nothing else). */
  private answer(request: IdentifyRequest): IdentifyReply | string {
    const { keys, now = Date.now } = this.options;
    const parsed = parseCredential(request.credential);
    if (!parsed || parsed.timestampMs !== request.timestamp_ms || parsed.nonce !== request.nonce || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(request.from)) {
      return 'no valid cluster credential';
    }
    if (Math.abs(now() - parsed.timestampMs) > CREDENTIAL_WINDOW_MS) return 'credential outside the time window (are the clocks in sync?)';
    const claim: CallClaim = { from: request.from, to: '', method: IDENTIFY_METHOD, timestampMs: parsed.timestampMs, nonce: parsed.nonce };
    const key = keys.matchCall(claim, parsed.macs);
    if (!key) return 'credential does not verify (wrong or retired secret)';
    const identity = this.options.identity();
    const answer = { node_id: identity.id, hostname: identity.hostname, lock: [...(identity.lock ?? [])], expect: identity.expect };
    return { ...answer, proof: ClusterKeys.proof(key, proofClaim(request.from, parsed.timestampMs, parsed.nonce, answer)) };
  }
}

export type IdentifyResult = { ok: true; identity: Identity } | { ok: false; reason: string; code: grpc.status | undefined };

/** Asks the node at `address` who it is; only an answer that proves the secret counts. */
export function identify(selfId: string, security: ClusterSecurity, address: MemberAddress, timeoutMs: number): Promise<IdentifyResult> {
  const keys = security.keys;
  if (!keys) return Promise.resolve({ ok: false, reason: 'no cluster secret', code: undefined });
  const Client = discoveryService();
  const target = address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  const client = new Client(target, discoveryChannelCredentials(security.tls)) as unknown as grpc.Client & {
    Identify(request: IdentifyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<IdentifyReply>): grpc.ClientUnaryCall;
  };
  const claim: CallClaim = { from: selfId, to: '', method: IDENTIFY_METHOD, timestampMs: Date.now(), nonce: newNonce() };
  const request: IdentifyRequest = { from: selfId, timestamp_ms: claim.timestampMs, nonce: claim.nonce, credential: keys.credential(claim) };
  return new Promise((resolve) => {
    client.Identify(
      request,
      { deadline: Date.now() + timeoutMs },
      (error, reply) => {
        client.close();
        if (error || !reply) return resolve({ ok: false, reason: error?.details || error?.message || 'no answer', code: error?.code });
        const { proof, ...answer } = reply;
        if (!keys.verifyProof(proofClaim(selfId, claim.timestampMs, claim.nonce, answer), proof)) {
          return resolve({ ok: false, reason: 'answered without proof of the cluster secret', code: undefined });
        }
        resolve({ ok: true, identity: { id: answer.node_id, hostname: answer.hostname, lock: answer.lock.length > 0 ? answer.lock : undefined, expect: answer.expect } });
      },
    );
  });
}

/** With mutual TLS the certificate is checked against the CA at the handshake; which member it
 *  is, is what the proof says (the dialler does not know the id yet). */
function discoveryChannelCredentials(tls: TlsMaterial | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(tls.ca, tls.key, tls.cert, { checkServerIdentity: () => undefined });
}

/** The host name a node gives in its answer: `$HOSTNAME`, else the system's. */
export function ownHostname(env: NodeJS.ProcessEnv = process.env): string {
  return env['HOSTNAME']?.trim() || osHostname();
}
