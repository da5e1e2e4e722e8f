/**
 * Loads proto/replication.proto at run time with @grpc/proto-loader.
 *
 * The file is looked up next to the package first (`server/proto/`, where the build copies it
 * and where `npm pack` and the Docker image ship it), then in the repository root (`proto/`, the
 * source of truth, so tests and `tsx` runs need no build step). `REPLIMQ_PROTO_PATH` overrides.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { decodeForwardCalls, decodeForwardResults, encodeForwardCalls, encodeForwardResults } from './forward-stream-codec.js';
import { decodeFollowerWire, decodeLeaderWire, encodeFollowerWire, encodeLeaderWire } from './replicate-codec.js';
import { REPLICATION_SERVICE as SERVICE } from './replication-methods.js';
import { packageRoot } from '../../package-root.js';

export { CHANGE_MEMBERSHIP_METHOD } from './replication-methods.js';

/** Options every node must load the file with: they fix the shapes in `wire-messages.ts`. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  // Indexes and terms may exceed 2^31; as numbers they are exact up to 2^53, plenty for a log.
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

const PROTO_FILE = 'replication.proto';

export function locateReplicationProto(): string {
  const override = process.env.REPLIMQ_PROTO_PATH;
  if (override) return override;
  // Not a fixed depth from this module: the start-up bundle (dist/bundle/) holds it too.
  const root = packageRoot();
  const candidates = [resolve(root, 'proto', PROTO_FILE), resolve(root, '..', 'proto', PROTO_FILE)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`replication.proto not found; looked in ${candidates.join(', ')}`);
  return found;
}

let cached: grpc.ServiceClientConstructor | undefined;

/** The `Replication` service: its `.service` definition for servers, and a client constructor. */
export function replicationService(): grpc.ServiceClientConstructor {
  if (!cached) {
    const definition = protoLoader.loadSync(locateReplicationProto(), LOADER_OPTIONS);
    useHandWrittenCodecs(definition);
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      replimq: { replication: { v1: { Replication: grpc.ServiceClientConstructor } } };
    };
    cached = loaded.replimq.replication.v1.Replication;
  }
  return cached;
}

/** The hot streams, `Replicate` and `ForwardStream`, (de)serialize with hand-written codecs
 *  (replicate-codec.ts, forward-stream-codec.ts); every other RPC keeps proto-loader's. Same
 *  bytes on the wire either way. */
function useHandWrittenCodecs(definition: protoLoader.PackageDefinition): void {
  const service = definition[SERVICE] as protoLoader.ServiceDefinition | undefined;
  const method = (name: string): protoLoader.MethodDefinition<object, object> => {
    const found = service?.[name];
    if (!found) throw new Error(`${SERVICE}.${name} missing from ${PROTO_FILE}`);
    return found;
  };
  const replicate = method('Replicate');
  replicate.requestSerialize = encodeLeaderWire as (value: object) => Buffer;
  replicate.requestDeserialize = decodeLeaderWire;
  replicate.responseSerialize = encodeFollowerWire as (value: object) => Buffer;
  replicate.responseDeserialize = decodeFollowerWire;
  const forwardStream = method('ForwardStream');
  forwardStream.requestSerialize = encodeForwardCalls as (value: object) => Buffer;
  forwardStream.requestDeserialize = decodeForwardCalls;
  forwardStream.responseSerialize = encodeForwardResults as (value: object) => Buffer;
  forwardStream.responseDeserialize = decodeForwardResults;
}
