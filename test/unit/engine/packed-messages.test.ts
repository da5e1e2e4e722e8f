import { describe, expect, it } from 'vitest';
import { PackedRun, RUN_CAPACITY } from '../../../server/src/engine/packed-run.js';
import { StandardStore } from '../../../server/src/engine/standard-store.js';
import { MessageState, StoredMessage } from '../../../server/src/engine/stored-message.js';
import { Harness } from './harness.js';

const SENT = Date.UTC(2026, 0, 1);

function plain(index: number, sentAt = SENT, senderId = 'AIDTEST'): StoredMessage {
  const message = new StoredMessage({
    id: `0000000${index % 10}-1111-4222-8333-${String(index).padStart(12, '0')}`,
    body: index % 3 === 0 ? `ünïcødé ${index} ✓` : `body ${index}`,
    md5OfBody: index.toString(16).padStart(32, '0'),
    senderId,
    sentAt,
    extras: undefined,
  });
  message.seq = 100 + index;
  return message;
}

/** A run of `count` messages 0..count-1 (seq 100.., visible order 7..). */
function runOf(count: number): PackedRun {
  const run = new PackedRun(100, 7, 'AIDTEST', SENT);
  for (let index = 0; index < count; index++) {
    const message = plain(index, SENT + index * 1000);
    expect(run.accepts(message, 7 + index)).toBe(true);
    run.append(message);
  }
  return run;
}

function fieldsOf(message: StoredMessage): unknown[] {
  return [message.id, message.body, message.md5OfBody, message.sentAt, message.senderId, message.seq, message.visibleOrder, message.state, message.extras];
}

describe('packed runs', () => {
  it.each([3, RUN_CAPACITY])('give back every message as it was sent, before and after sealing (%i messages)', (count) => {
    const run = runOf(count);
    expect(run.sealed).toBe(count === RUN_CAPACITY);
    for (const sealed of [run.sealed, true]) {
      if (sealed) run.seal();
      for (const index of [0, 1, count - 1]) {
        const original = plain(index, SENT + index * 1000);
        original.visibleOrder = 7 + index;
        expect(fieldsOf(run.viewAt(index))).toEqual(fieldsOf(original));
        expect(run.hasKey(index, original.key)).toBe(true);
        expect(run.hasKey(index, plain(index + 1).key)).toBe(false);
      }
    }
  });

  it.each([
    ['ordered ids', (index: number) => `6f1c2a9e-77b0-4d3e-9a5f-${(0xfffff0 + index * 3).toString(16).padStart(12, '0')}`],
    ['one id out of order', (index: number) => `6f1c2a9e-77b0-4d3e-9a5f-${(index === 7 ? 1 : 0x100 + index).toString(16).padStart(12, '0')}`],
    ['ids of another prefix', (index: number) => `${index === 7 ? '7' : '6'}f1c2a9e-77b0-4d3e-9a5f-${(0x100 + index).toString(16).padStart(12, '0')}`],
    ['ids that are not UUIDs', (index: number) => `custom-${index}`],
  ])('give back every id once sealed (%s)', (_, idOf) => {
    const run = new PackedRun(100, 7, 'AIDTEST', SENT);
    const originals: StoredMessage[] = [];
    for (let index = 0; index < 40; index++) {
      const message = new StoredMessage({ id: idOf(index), body: `b${index}`, md5OfBody: 'ab'.repeat(16), senderId: 'AIDTEST', sentAt: SENT, extras: undefined });
      message.seq = 100 + index;
      message.visibleOrder = 7 + index;
      originals.push(message);
      run.append(message);
    }
    run.seal();
    for (const [index, original] of originals.entries()) {
      expect(fieldsOf(run.viewAt(index))).toEqual(fieldsOf(original));
      expect(run.hasKey(index, original.key)).toBe(true);
      expect(run.hasKey(index, (originals[(index + 1) % originals.length] as StoredMessage).key)).toBe(false);
    }
  });

  it('turn a slot into one object for good, while views of other slots stay copies', () => {
    const run = runOf(5);
    run.seal();
    const taken = run.messageAt(2);
    expect(run.messageAt(2)).toBe(taken);
    expect(run.viewAt(2)).toBe(taken);
    expect(run.objectAt(2)).toBe(taken);
    expect(run.objectAt(3)).toBeUndefined();
    expect(run.viewAt(3)).not.toBe(run.viewAt(3));
    expect(run.objectAt(3)).toBeUndefined();
  });

  it('take only the next plain message of the same sender, in time range, while not full', () => {
    const run = runOf(2);
    expect(run.accepts(plain(2, SENT + 5000), 9)).toBe(true);
    expect(run.accepts(plain(2, SENT + 5000), 10)).toBe(false); // visible order gap
    expect(run.accepts(plain(3, SENT + 5000), 9)).toBe(false); // seq gap
    expect(run.accepts(plain(2, SENT + 5000, 'AIDOTHER'), 9)).toBe(false);
    expect(run.accepts(plain(2, SENT - 1), 9)).toBe(false);
    expect(run.accepts(plain(2, SENT + 2 ** 31), 9)).toBe(false);
    expect(run.accepts(plain(2, SENT + 0.5), 9)).toBe(false);
    run.seal();
    expect(run.accepts(plain(2, SENT + 5000), 9)).toBe(false);
    const full = runOf(RUN_CAPACITY);
    expect(full.accepts(plain(RUN_CAPACITY, SENT + RUN_CAPACITY * 1000), 7 + RUN_CAPACITY)).toBe(false);
  });
});

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The outcome of a call, errors included, as comparable text. */
function outcome(call: () => unknown): string {
  try {
    return JSON.stringify(call());
  } catch (error) {
    return `error ${(error as { code?: string }).code ?? String(error)}`;
  }
}

describe('packed waiting messages', () => {
  // Memory storage (no change tracking) packs plain waiting messages; with tracking on, every
  // message is an object. Both must answer every call alike.
  it.each([1, 2, 3, 4])('answer exactly as messages held as objects do (seed %i)', (seed) => {
    const next = random(seed);
    const packed = new Harness(false, false);
    const objects = new Harness(true, false);
    const both = (call: (h: Harness) => unknown): string => {
      const expected = outcome(() => call(objects));
      expect(outcome(() => call(packed))).toBe(expected);
      return expected;
    };
    both((h) => h.createQueue('dlq'));
    both((h) => h.createQueue('q', {
      MessageRetentionPeriod: '60',
      VisibilityTimeout: '3',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 3 }),
    }));
    const handles: string[] = [];
    const ids: string[] = [];
    let step = 0;
    const body = (): string => `m${step}-${'x'.repeat(Math.floor(next() * 40))}`;
    for (; step < 2500; step++) {
      const pause = Math.floor(next() * next() * 4000);
      both((h) => h.advance(pause));
      const roll = next();
      // Drawn before the call: both harnesses must get the same values.
      const text = body();
      if (roll < 0.3) {
        const sent = JSON.parse(both((h) => h.send('q', text))) as { MessageId: string };
        ids.push(sent.MessageId);
      } else if (roll < 0.38) {
        const entries = Array.from({ length: 1 + Math.floor(next() * 10) }, (_, i) => ({ Id: `e${i}`, MessageBody: body() }));
        const sent = JSON.parse(both((h) => h.apply('SendMessageBatch', { QueueUrl: h.url('q'), Entries: entries }))) as { Successful: { MessageId: string }[] };
        ids.push(...sent.Successful.map((entry) => entry.MessageId));
      } else if (roll < 0.42) {
        both((h) => h.send('q', text, { MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } }));
      } else if (roll < 0.45) {
        const delay = 1 + Math.floor(next() * 3);
        both((h) => h.send('q', text, { DelaySeconds: delay }));
      } else if (roll < 0.65) {
        const max = 1 + Math.floor(next() * 10);
        const timeout = next() < 0.3 ? { VisibilityTimeout: Math.floor(next() * 3) } : {};
        const received = JSON.parse(both((h) => h.receive('q', { MaxNumberOfMessages: max, AttributeNames: ['All'], ...timeout }))) as { ReceiptHandle: string }[];
        handles.push(...received.map((message) => message.ReceiptHandle));
      } else if (roll < 0.8 && handles.length > 0) {
        const [handle] = handles.splice(Math.floor(next() * handles.length), 1) as [string];
        const deletes = next() < 0.8;
        if (deletes) both((h) => h.apply('DeleteMessage', { QueueUrl: h.url('q'), ReceiptHandle: handle }));
        else both((h) => h.apply('ChangeMessageVisibility', { QueueUrl: h.url('q'), ReceiptHandle: handle, VisibilityTimeout: 0 }));
      } else if (roll < 0.83 && ids.length > 0) {
        const id = ids[Math.floor(next() * ids.length)] as string;
        both((h) => h.apply('DeleteMessageById', { QueueUrl: h.url('q'), MessageId: id }));
      } else if (roll < 0.86) {
        both((h) => h.read('PeekMessages', { QueueUrl: h.url('q'), ShowInvisible: true, ShowDelayed: true }));
      } else if (roll < 0.95) {
        both((h) => h.apply('Housekeeping', { kind: 'housekeeping' }));
      } else if (roll < 0.96) {
        both((h) => h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq'), MaxNumberOfMessagesPerSecond: 5 }));
      } else if (roll < 0.965) {
        both((h) => h.apply('PurgeQueue', { QueueUrl: h.url('q') }));
      } else if (roll < 0.975) {
        // The packing engine rebuilt from its own records (a follower's snapshot install),
        // packing the plain waiting messages again; the object engine goes on untouched.
        packed.engine.importRecords([...packed.records()]);
      }
      both((h) => [h.counts('q'), h.counts('dlq'), h.engine.hasReceivable(h.url('q'), h.caller, h.now)]);
    }
    both((h) => h.read('PeekMessages', { QueueUrl: h.url('q'), ShowInvisible: true, ShowDelayed: true }));
    both((h) => h.read('PeekMessages', { QueueUrl: h.url('dlq') }));
    // Everything left, drained.
    both((h) => h.receive('q', { MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
  });

  it('hold restored plain waiting messages packed again, and the others as objects', () => {
    const store = new StandardStore(true);
    const restored = (index: number, change?: (message: StoredMessage) => void): StoredMessage => {
      const message = plain(index, SENT + index);
      message.state = MessageState.Visible;
      message.visibleOrder = 7 + index;
      change?.(message);
      return message;
    };
    // 0-4 plain; 5 waited out a delay; 6-9 plain again; 10 was received before; 11 plain but
    // alone after it (a run starts only with a second plain message in a row).
    for (let index = 0; index < 12; index++) {
      store.restore(restored(index, (message) => {
        if (index === 5) message.visibleAt = SENT + 50;
        if (index === 10) message.delivery = { receiveCount: 1, firstReceivedAt: SENT + 60, receivedAt: SENT + 60, nonce: 'n' };
      }));
    }
    const visits = (): StoredMessage[] => {
      const seen: StoredMessage[] = [];
      store.forEachMessage((message) => seen.push(message));
      return seen.sort((a, b) => a.seq - b.seq);
    };
    const [first, second] = [visits(), visits()];
    // A packed slot is visited as a fresh copy each time, an object as itself.
    const packedSeqs = first.filter((message, i) => message !== second[i]).map((message) => message.seq - 100);
    expect(packedSeqs).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    expect(first.map((message) => message.seq - 100)).toEqual([...Array(12).keys()]);
    expect(first[5]?.visibleAt).toBe(SENT + 50);
    const taken = store.receive(SENT + 1000, 12, SENT + 31_000, () => true);
    expect(taken.map((message) => message.body)).toEqual([...Array(12).keys()].map((index) => plain(index).body));
  });

  it('write snapshots of packed messages alike and leave them waiting', () => {
    const packed = new Harness(false);
    const objects = new Harness(true);
    for (const h of [packed, objects]) {
      h.createQueue('q');
      for (let i = 0; i < RUN_CAPACITY + 10; i++) h.send('q', `m${i}`);
      h.receive('q', { MaxNumberOfMessages: 3 });
    }
    const records = (h: Harness) => [...h.records()].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(records(packed)).toEqual(records(objects));
    expect(packed.counts('q')).toEqual([RUN_CAPACITY + 7, 3, 0]);
    const bodies = packed.receive('q', { MaxNumberOfMessages: 10 }).map((message) => message.Body);
    expect(bodies).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 3}`));
  });
});
