/**
 * The server a conformance file talks to: one per file, shared by both SDK flavours.
 *
 * `CONFORMANCE_TARGET=replimq` (default) starts a real replimq node through test/support/start-node.ts;
 * `CONFORMANCE_TARGET=fauxqs` starts the fauxqs emulator instead — useful to sanity-check a test
 * against a second implementation, never as ground truth (the AWS docs are). fauxqs only speaks
 * AWS JSON 1.0 for SQS, so against it only the `json` flavour runs.
 *
 * `CONFORMANCE_STORAGE=sqlite` runs the replimq node on SQLite storage instead of memory;
 * `CONFORMANCE_STORAGE=postgres` on PostgreSQL storage (a database of its own per file), and
 * skips every test, saying why, when the run has no PostgreSQL (test/support/postgres.ts).
 */
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { createSdkClient, type Flavour, type SqsTestClient } from './sdk-clients.js';
import { startNode } from './start-node.js';
import { createTestDatabase, POSTGRES_MISSING, POSTGRES_URL } from './postgres.js';

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
  if (STORAGE === 'postgres') {
    const database = await createTestDatabase();
    const node = await startNode({ storage: 'postgres', config: { postgresUrl: database.url } });
    return {
      sqsEndpoint: node.sqsEndpoint,
      stop: async () => {
        await node.stop();
        await database.drop();
      },
    };
  }
  return startNode({ storage: STORAGE });
}

const STORAGE = (['sqlite', 'postgres'] as const).find((kind) => kind === process.env['CONFORMANCE_STORAGE']) ?? 'memory';
/** Why this run cannot start its target, if it cannot. */
const UNAVAILABLE = STORAGE === 'postgres' && !POSTGRES_URL ? `SQS conformance on PostgreSQL skipped: ${POSTGRES_MISSING}` : undefined;

export interface ConformanceTarget {
  /** Throws if called before the file's `beforeAll` started the server. */
  endpoint(): string;
  /** A client of the given flavour; it binds to the endpoint at its first call. */
  client(flavour: Flavour): SqsTestClient;
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
  if (UNAVAILABLE !== undefined) beforeEach((context) => context.skip(UNAVAILABLE));
  beforeAll(async () => {
    if (UNAVAILABLE === undefined) running = await startTarget();
  });
  afterAll(async () => {
    await running?.stop();
  });
  const endpoint = (): string => {
    // Every test of the file is skipped, but a file's own hooks may still ask (to start a proxy).
    if (UNAVAILABLE !== undefined) return 'http://127.0.0.1:9';
    if (running === undefined) throw new Error('conformance target not started: call inside a test or hook');
    return running.sqsEndpoint;
  };
  fileTarget = { endpoint, client: (flavour) => createSdkClient(flavour, endpoint) };
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
