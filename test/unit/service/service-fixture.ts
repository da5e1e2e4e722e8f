/**
 * A node's service stack without HTTP: the real engine, the in-process replicator double on memory
 * storage, long-poll waiters and the service, on vitest's fake timers and clock.
 */
import { vi } from 'vitest';
import { createEngine } from '../../../server/src/engine/engine.js';
import type { ActionInput, ActionName, ActionOutput, SqsRequest } from '../../../server/src/engine/actions.js';
import { createMemoryStorage } from '../../../server/src/storage/memory-storage.js';
import { InProcessReplicator } from './in-process-replicator.js';
import { LongPollWaiters } from '../../../server/src/service/long-poll-waiters.js';
import { observeApplied } from '../../../server/src/service/applied-commands.js';
import { NodeService } from '../../../server/src/service/node-service.js';
import type { AckMode, RequestContext } from '../../../server/src/cluster/replicator.js';
import type { ServiceAnswer } from '../../../server/src/sqs/sqs-service.js';

export const BASE_URL = 'http://localhost:9324';
export const HOME_ACCOUNT = { accountId: '000000000000', region: 'us-east-1' };
export const CONTEXT: RequestContext = { baseUrl: BASE_URL, senderId: 'AIDATEST', account: HOME_ACCOUNT };

export function useFakeTime(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
}

export function createServiceStack(options: { defaultAckMode?: AckMode } = {}) {
  const clock = (): number => Date.now();
  const loaded = createEngine({ accountId: '000000000000', region: 'us-east-1', trackChanges: false });
  const waiters = new LongPollWaiters(loaded, clock);
  const engine = observeApplied(loaded, (command) => waiters.commandApplied(command));
  const storage = createMemoryStorage();
  let counter = 0;
  const replicator = new InProcessReplicator({ engine, storage, clock, randomId: () => `id-${++counter}` });
  const proposeSpy = vi.spyOn(replicator, 'propose');
  const service = new NodeService({ engine, replicator, waiters, clock, defaultAckMode: options.defaultAckMode ?? 'majority' });

  async function call<A extends ActionName>(action: A, input: ActionInput<A>, context: RequestContext = CONTEXT): Promise<ActionOutput<A>> {
    const answer: ServiceAnswer = await service.handle({ action, input } as SqsRequest, context);
    return answer.output as ActionOutput<A>;
  }
  async function createQueue(name: string, attributes: Record<string, string> = {}, tags?: Record<string, string>): Promise<string> {
    return (await call('CreateQueue', { QueueName: name, Attributes: attributes, ...(tags ? { tags } : {}) })).QueueUrl;
  }
  return { engine, storage, replicator, proposeSpy, waiters, service, call, createQueue };
}

/** Lets promise callbacks and `setImmediate` checks run. Moves the fake clock by 1 ms: a
 *  zero-length advance does not run an immediate queued while it runs. */
export async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(1);
}

/** Settles repeatedly until `done()` holds; fails after 100 rounds (100 ms of fake time). */
export async function settleUntil(done: () => boolean): Promise<void> {
  for (let round = 0; round < 100; round++) {
    if (done()) return;
    await settle();
  }
  throw new Error('condition not reached within 100 settle rounds');
}
