/**
 * The ceiling and fauxqs: one child process serving SQS on one port, ready once it answers.
 */
import { fileURLToPath } from 'node:url';
import { freePort } from 'replimq-testkit';
import { spawnServer, waitUntilAnswering } from './child-server.js';
import { node22Runtime, type NodeRuntime } from './node-runtime.js';
import type { RunningSystem, SystemDefinition } from './system.js';

interface SingleProcessOptions {
  name: string;
  /** The child script next to this file, started as `node <script> <port> ...extraArgs`. */
  script: string;
  extraArgs?: readonly string[];
  /** Path answering 200 to a GET once the server is up. */
  readyPath: string;
  /** Workloads the server cannot run, with the reason. */
  unsupported?: Readonly<Record<string, string>>;
  /** Node flags for the child (profiling). */
  nodeFlags?: readonly string[];
  /** The Node to run on (the bench's own by default), or why it is not there. */
  runtime?: () => NodeRuntime | string;
}

export function singleProcessSystem(options: SingleProcessOptions): SystemDefinition {
  return {
    name: options.name,
    nodes: 1,
    unavailable: () => {
      const runtime = options.runtime?.();
      return typeof runtime === 'string' ? runtime : undefined;
    },
    unsupported: (workload) => options.unsupported?.[workload],
    async start(): Promise<RunningSystem> {
      const port = await freePort();
      const script = fileURLToPath(new URL(options.script, import.meta.url));
      const runtime = options.runtime?.();
      const execPath = typeof runtime === 'object' ? runtime.execPath : process.execPath;
      const server = spawnServer(options.name, [...(options.nodeFlags ?? []), script, String(port), ...(options.extraArgs ?? [])], {}, execPath);
      const endpoint = `http://127.0.0.1:${port}`;
      try {
        await waitUntilAnswering(server, `${endpoint}${options.readyPath}`);
      } catch (error) {
        await server.stop();
        throw new Error(`${options.name}: ${(error as Error).message}`);
      }
      return { endpoint, pids: [server.pid], adminUrls: [], stop: () => server.stop() };
    },
  };
}

const CEILING_CANNOT_LONG_POLL = 'the ceiling answers fixed messages without send timestamps';

export function ceilingSystem(bodyBytes: number, nodeFlags: readonly string[] = []): SystemDefinition {
  return singleProcessSystem({
    name: 'ceiling',
    script: './ceiling-server.js',
    extraArgs: [String(bodyBytes)],
    readyPath: '/',
    unsupported: { 'long-poll': CEILING_CANNOT_LONG_POLL },
    nodeFlags,
  });
}

/** fauxqs 1.x on the bench's Node (20). */
export function fauxqsSystem(nodeFlags: readonly string[] = []): SystemDefinition {
  return singleProcessSystem({ name: 'fauxqs', script: './fauxqs-server.js', readyPath: '/health', nodeFlags });
}

/** fauxqs 2.x on Node 22 (it refuses older Nodes). */
export function fauxqs2System(nodeFlags: readonly string[] = []): SystemDefinition {
  return singleProcessSystem({ name: 'fauxqs2', script: './fauxqs2-server.js', readyPath: '/health', nodeFlags, runtime: node22Runtime });
}
