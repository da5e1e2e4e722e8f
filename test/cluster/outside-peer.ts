/**
 * An outsider on the cluster's network: a plain @grpc/grpc-js client of proto/replication.proto
 * (loaded with proto-loader, none of the server's transport code) that calls a node's gRPC port
 * with whatever metadata the test gives it — none, a credential under a wrong secret, or a
 * captured one — and reports how each call ended.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { LOADER_OPTIONS, locateReplicationProto } from '../../server/src/cluster/grpc/replication-proto.js';
import type { ForwardCall, ForwardCalls, ForwardRequest, LeaderMessage, SnapshotChunk, VoteRequest } from '../../server/src/cluster/grpc/wire-messages.js';

export const METHOD_PREFIX = '/replimq.replication.v1.Replication/';

/** How a call ended: its gRPC status code and details, or `ok` with what came back. */
export type Outcome = { ok: true; reply: unknown } | { ok: false; code: number; details: string };

interface RawClient extends grpc.Client {
  Vote(request: VoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>): grpc.ClientUnaryCall;
  PreVote(request: VoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>): grpc.ClientUnaryCall;
  Forward(request: ForwardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>): grpc.ClientUnaryCall;
  Replicate(metadata: grpc.Metadata, options: grpc.CallOptions): grpc.ClientDuplexStream<LeaderMessage, unknown>;
  ForwardStream(metadata: grpc.Metadata, options: grpc.CallOptions): grpc.ClientDuplexStream<ForwardCalls, unknown>;
  InstallSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>): grpc.ClientWritableStream<SnapshotChunk>;
}

type RawClientConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => RawClient;

let constructorCache: RawClientConstructor | undefined;

function clientConstructor(): RawClientConstructor {
  if (!constructorCache) {
    const definition = protoLoader.loadSync(locateReplicationProto(), LOADER_OPTIONS);
    const loaded = grpc.loadPackageDefinition(definition) as unknown as { replimq: { replication: { v1: { Replication: RawClientConstructor } } } };
    constructorCache = loaded.replimq.replication.v1.Replication;
  }
  return constructorCache;
}

const CALL_TIMEOUT_MS = 5_000;

export class OutsidePeer {
  private readonly client: RawClient;

  constructor(address: string, credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure()) {
    const Client = clientConstructor();
    this.client = new Client(address, credentials);
  }

  vote(request: VoteRequest, metadata = new grpc.Metadata(), preVote = false): Promise<Outcome> {
    return new Promise((resolve) => {
      const method = preVote ? this.client.PreVote : this.client.Vote;
      method.call(this.client, request, metadata, this.deadline(), (error, reply) => resolve(outcome(error, reply)));
    });
  }

  forward(request: ForwardRequest, metadata = new grpc.Metadata()): Promise<Outcome> {
    return new Promise((resolve) => {
      this.client.Forward(request, metadata, this.deadline(), (error, reply) => resolve(outcome(error, reply)));
    });
  }

  /** Opens `Replicate`, writes the messages, and reports the first answer or the stream's end. */
  replicate(messages: LeaderMessage[], metadata = new grpc.Metadata()): Promise<Outcome> {
    return new Promise((resolve) => {
      const stream = this.client.Replicate(metadata, this.deadline());
      stream.on('data', (reply: unknown) => {
        resolve({ ok: true, reply });
        stream.cancel();
      });
      stream.on('error', (error: grpc.ServiceError) => resolve(outcome(error, undefined)));
      stream.on('end', () => resolve({ ok: false, code: grpc.status.OK, details: 'stream ended without an answer' }));
      for (const message of messages) stream.write(message);
    });
  }

  /** Opens `ForwardStream`, writes the calls (in one message), and reports the first results or
   *  the stream's end. */
  forwardStream(calls: ForwardCall[], metadata = new grpc.Metadata()): Promise<Outcome> {
    return new Promise((resolve) => {
      const stream = this.client.ForwardStream(metadata, this.deadline());
      stream.on('data', (result: unknown) => {
        resolve({ ok: true, reply: result });
        stream.cancel();
      });
      stream.on('error', (error: grpc.ServiceError) => resolve(outcome(error, undefined)));
      stream.on('end', () => resolve({ ok: false, code: grpc.status.OK, details: 'stream ended without a result' }));
      stream.write({ calls });
    });
  }

  installSnapshot(chunks: SnapshotChunk[], metadata = new grpc.Metadata()): Promise<Outcome> {
    return new Promise((resolve) => {
      const call = this.client.InstallSnapshot(metadata, this.deadline(), (error, reply) => resolve(outcome(error, reply)));
      call.on('error', () => undefined);
      for (const chunk of chunks) call.write(chunk);
      call.end();
    });
  }

  close(): void {
    this.client.close();
  }

  private deadline(): grpc.CallOptions {
    return { deadline: Date.now() + CALL_TIMEOUT_MS };
  }
}

function outcome(error: grpc.ServiceError | null, reply: unknown): Outcome {
  if (error) return { ok: false, code: error.code, details: error.details };
  return { ok: true, reply };
}
