/**
 * The server a conformance file talks to: one per file, shared by both SDK flavours.
 *
 * `CONFORMANCE_TARGET=replimq` (default) starts a real replimq node through test/support/start-node.ts;
 * `CONFORMANCE_TARGET=fauxqs` starts the fauxqs emulator instead — useful to sanity-check a test
 * against a second implementation, never as ground truth (the AWS docs are). fauxqs only speaks
 * AWS JSON 1.0 for SQS, so against it only the `json` flavour runs.
 *
 * `CONFORMANCE_STORAGE=sqlite` runs the replimq node on SQLite storage instead of memory.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createSdkClient, type ClientIdentity, type Flavour, type SqsTestClient } from './sdk-clients.js';
import { startNode } from './start-node.js';

export type TargetKind = 'replimq' | 'fauxqs';

export interface RunningTarget {
  /** Base URL of the SQS endpoint, e.g. `http://127.0.0.1:41234`. */
  readonly sqsEndpoint: string;
  stop(): Promise<void>;
}

export const TARGET_KIND: TargetKind = process.env['CONFORMANCE_TARGET'] === 'fauxqs' ? 'fauxqs' : 'replimq';

export const FLAVOURS: readonly Flavour[] = TARGET_KIND === 'fauxqs' ? ['json'] : ['json', 'query'];

async function startTarget(): Promise<RunningTarget> {
  if (TARGET_KIND === 'fauxqs') {
    const { startFauxqs } = await import('fauxqs');
    const server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
    return { sqsEndpoint: server.address, stop: () => server.stop() };
  }
  const storage = process.env['CONFORMANCE_STORAGE'] === 'sqlite' ? 'sqlite' : 'memory';
  return startNode({ storage });
}

export interface ConformanceTarget {
  /** Throws if called before the file's `beforeAll` started the server. */
  endpoint(): string;
  /** A client of the given flavour (and region and access key); it binds to the endpoint at
   *  its first call. */
  client(flavour: Flavour, identity?: ClientIdentity): SqsTestClient;
}

let fileTarget: ConformanceTarget | undefined;

/**
 * Starts the target once for the calling test file (call at top level) and stops it after the
 * file's last test. Later calls in the same file answer the same target: vitest isolates test
 * files in their own module graph, so "once per module" is "once per file".
 */
export function useConformanceTarget(): ConformanceTarget {
  if (fileTarget !== undefined) return fileTarget;
  let running: RunningTarget | undefined;
  beforeAll(async () => {
    running = await startTarget();
  });
  afterAll(async () => {
    await running?.stop();
  });
  const endpoint = (): string => {
    if (running === undefined) throw new Error('conformance target not started: call inside a test or hook');
    return running.sqsEndpoint;
  };
  fileTarget = { endpoint, client: (flavour, identity) => createSdkClient(flavour, endpoint, identity) };
  return fileTarget;
}

/**
 * One `describe` per flavour, sharing the file's single server: `body` receives a client of that
 * flavour and the target (for raw HTTP checks). `concurrent` runs the cases of a flavour side by
 * side — for files whose cases mostly wait out 1–2 s timers on queues of their own.
 */
export function describeEachFlavour(
  title: string,
  body: (sqs: SqsTestClient, target: ConformanceTarget) => void,
  options: { concurrent?: boolean } = {},
): void {
  const target = useConformanceTarget();
  const describeFlavours = options.concurrent ? describe.concurrent : describe;
  describeFlavours.each(FLAVOURS.map((flavour) => ({ flavour })))(`${title} [$flavour]`, ({ flavour }) => {
    body(target.client(flavour), target);
  });
}
