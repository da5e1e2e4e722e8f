import { describe, expect, it } from 'vitest';
import type { ActionInput } from '../../../server/src/engine/actions.js';
import { Harness } from './harness.js';

/** A small deterministic PRNG so the workload is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function setUpQueues(h: Harness): void {
  h.createQueue('dlq');
  h.createQueue('std', { VisibilityTimeout: '5', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 3 }) });
  h.createQueue('delayed', { DelaySeconds: '3', MessageRetentionPeriod: '60' });
  h.createQueue('dlq.fifo', { FifoQueue: 'true' });
  h.createQueue('f.fifo', {
    FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '4',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq.fifo'), maxReceiveCount: 2 }),
  });
}

/** Runs a mixed workload; returns every output (and error code) in order. */
function workload(h: Harness, seed: number, steps: number): unknown[] {
  const next = random(seed);
  const outputs: unknown[] = [];
  const handles: { queue: string; handle: string }[] = [];
  const run = (action: () => unknown): void => {
    try {
      outputs.push(action());
    } catch (error) {
      outputs.push((error as { code?: string }).code ?? String(error));
    }
  };
  for (let step = 0; step < steps; step++) {
    const roll = next();
    h.advance(Math.floor(next() * 1500));
    const queue = ['std', 'delayed', 'f.fifo'][Math.floor(next() * 3)] as string;
    const fifo = queue.endsWith('.fifo');
    if (roll < 0.35) {
      const extra: Partial<ActionInput<'SendMessage'>> = fifo ? { MessageGroupId: `g${Math.floor(next() * 3)}` } : {};
      run(() => h.send(queue, `body-${Math.floor(next() * 20)}`, extra));
    } else if (roll < 0.65) {
      run(() => {
        const messages = h.receive(queue, { MaxNumberOfMessages: 1 + Math.floor(next() * 4), AttributeNames: ['All'] });
        for (const message of messages) handles.push({ queue, handle: message.ReceiptHandle });
        return messages;
      });
    } else if (roll < 0.85 && handles.length > 0) {
      const { queue: owner, handle } = handles.splice(Math.floor(next() * handles.length), 1)[0] as { queue: string; handle: string };
      run(() => h.apply('DeleteMessage', { QueueUrl: h.url(owner), ReceiptHandle: handle }));
    } else if (roll < 0.93 && handles.length > 0) {
      const { queue: owner, handle } = handles[Math.floor(next() * handles.length)] as { queue: string; handle: string };
      run(() => h.apply('ChangeMessageVisibility', { QueueUrl: h.url(owner), ReceiptHandle: handle, VisibilityTimeout: Math.floor(next() * 6) }));
    } else if (roll < 0.95) {
      const source = next() < 0.5 ? 'dlq' : 'dlq.fifo';
      run(() => h.apply('StartMessageMoveTask', { SourceArn: h.arn(source), MaxNumberOfMessagesPerSecond: 1 + Math.floor(next() * 3) }));
    } else if (h.engine.housekeepingDue(h.now)) {
      run(() => h.apply('Housekeeping', { kind: 'housekeeping' }));
    } else {
      run(() => h.attributes(queue));
    }
  }
  return outputs;
}

function sorted(records: Map<string, string>): [string, string][] {
  return [...records].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('records', () => {
  it('two engines fed the same commands end with identical records', () => {
    const [a, b] = [new Harness(), new Harness()];
    for (const h of [a, b]) setUpQueues(h);
    expect(workload(a, 7, 400)).toEqual(workload(b, 7, 400));
    expect(sorted(a.records())).toEqual(sorted(b.records()));
    // The workload reached the interesting paths: dead-lettering into both kinds and move tasks.
    const values = [...a.records().values()].join('\n');
    expect(values).toContain(`"deadLetterSourceArn":"${a.arn('std')}"`);
    expect(values).toContain(`"deadLetterSourceArn":"${a.arn('f.fifo')}"`);
    expect(values).toMatch(/"moved":[1-9]/);
  });

  it('an engine rebuilt from exported records behaves exactly like the original', () => {
    const original = new Harness();
    setUpQueues(original);
    workload(original, 11, 300);
    original.apply('StartMessageMoveTask', { SourceArn: original.arn('dlq'), DestinationArn: original.arn('std'), MaxNumberOfMessagesPerSecond: 1 });
    original.receive('f.fifo', { ReceiveRequestAttemptId: 'attempt', MaxNumberOfMessages: 2 });

    const copy = new Harness();
    copy.engine.importRecords(original.engine.exportRecords());
    copy.now = original.now;
    expect(sorted(copy.records())).toEqual(sorted(original.records()));
    expect(copy.engine.housekeepingDue(copy.now + 1_000)).toBe(original.engine.housekeepingDue(original.now + 1_000));

    // Same ids from here on: the copy's id counter restarts, so align both to fresh counters.
    const left = new Harness();
    const right = new Harness();
    left.engine.importRecords(original.engine.exportRecords());
    right.engine.importRecords(copy.engine.exportRecords());
    left.now = right.now = original.now;
    expect(workload(left, 99, 300)).toEqual(workload(right, 99, 300));
    expect(sorted(left.records())).toEqual(sorted(right.records()));
  });

  it('rebuilding keeps the exact receive order of a standard queue', () => {
    const h = new Harness();
    h.createQueue('q', { VisibilityTimeout: '5' });
    for (let i = 0; i < 6; i++) h.send('q', `m${i}`);
    h.receive('q', { MaxNumberOfMessages: 3 });
    h.advance(5_000);
    h.send('q', 'late');
    const copy = new Harness();
    copy.engine.importRecords(h.engine.exportRecords());
    copy.now = h.now;
    const order = (x: Harness) => x.receive('q', { MaxNumberOfMessages: 10 }).map((m) => m.Body);
    expect(order(copy)).toEqual(order(h));
  });

  it('tracks changed records so storage can mirror the state', () => {
    const h = new Harness(true);
    const mirror = new Map<string, string>();
    const flush = () => {
      for (const [key, value] of h.engine.takeChanges()) {
        if (value === null) mirror.delete(key);
        else mirror.set(key, value);
      }
    };
    setUpQueues(h);
    flush();
    const next = random(3);
    for (let round = 0; round < 20; round++) {
      workload(h, Math.floor(next() * 1000), 20);
      flush();
      expect(sorted(mirror)).toEqual(sorted(h.records()));
    }
    h.apply('PurgeQueue', { QueueUrl: h.url('std') });
    h.apply('DeleteQueue', { QueueUrl: h.url('f.fifo') });
    flush();
    expect(sorted(mirror)).toEqual(sorted(h.records()));
    expect(h.engine.takeChanges().size).toBe(0);
  });

  it('tracks nothing when change tracking is off', () => {
    const h = new Harness(false);
    setUpQueues(h);
    h.send('std', 'x');
    expect(h.engine.takeChanges().size).toBe(0);
  });
});
