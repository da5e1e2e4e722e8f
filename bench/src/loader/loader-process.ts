/**
 * The loader process (forked by the benchmark): prepares one round at a time, measures it when
 * told, and reports what it saw and what it cost itself in CPU.
 */
import { RawHttpCaller } from './raw-caller.js';
import { SdkCaller } from './sdk-caller.js';
import type { LoaderKind, SqsCaller } from './sqs-caller.js';
import type { LoaderReply, LoaderRequest, PrepareRequest } from './loader-protocol.js';
import { WORKLOADS } from '../workloads/registry.js';
import type { PreparedRound } from '../workloads/workload.js';

const SETUP_CONNECTIONS = 8;

interface CurrentRound {
  round: PreparedRound;
  callers: SqsCaller[];
}

let current: CurrentRound | undefined;

function makeCaller(kind: LoaderKind, endpoint: string, connections: number): SqsCaller {
  // autocannon has no caller of its own: whatever a workload does besides its fixed request is raw.
  return kind === 'sdk' ? new SdkCaller(endpoint, connections) : new RawHttpCaller(endpoint, connections);
}

async function prepare(request: PrepareRequest): Promise<void> {
  await cleanup();
  const callers: SqsCaller[] = [];
  const track = (caller: SqsCaller): SqsCaller => {
    callers.push(caller);
    return caller;
  };
  const round = await WORKLOADS[request.workload].prepare({
    endpoint: request.endpoint,
    loader: request.loader,
    caller: track(makeCaller(request.loader, request.endpoint, request.params.concurrency)),
    setupCaller: track(new RawHttpCaller(request.endpoint, SETUP_CONNECTIONS)),
    makeCaller: (connections) => track(makeCaller(request.loader, request.endpoint, connections)),
    params: request.params,
  });
  current = { round, callers };
}

async function cleanup(): Promise<void> {
  if (!current) return;
  const { round, callers } = current;
  current = undefined;
  await round.cleanup().catch(() => undefined);
  for (const caller of callers) caller.close();
}

async function handle(request: LoaderRequest): Promise<LoaderReply> {
  switch (request.type) {
    case 'prepare':
      await prepare(request);
      return { id: request.id, ok: true };
    case 'measure': {
      if (!current) throw new Error('measure before prepare');
      const cpuBefore = process.cpuUsage();
      const measurement = await current.round.measure();
      const cpu = process.cpuUsage(cpuBefore);
      return { id: request.id, ok: true, measurement: { ...measurement, loaderCpuSeconds: (cpu.user + cpu.system) / 1e6 } };
    }
    case 'cleanup':
      await cleanup();
      return { id: request.id, ok: true };
  }
}

process.on('message', (request: LoaderRequest) => {
  handle(request)
    .catch((error: unknown): LoaderReply => ({ id: request.id, ok: false, error: (error as Error).stack ?? String(error) }))
    .then((reply) => process.send!(reply));
});
process.on('disconnect', () => process.exit(0));
