import { describe, expect, it } from 'vitest';
import { Harness, expectRejectedUnchanged } from './harness.js';

describe('SQS 60-second rules', () => {
  it('are off by default: purge and re-create freely', () => {
    const h = new Harness();
    h.createQueue('q');
    h.apply('PurgeQueue', { QueueUrl: h.url('q') });
    h.apply('PurgeQueue', { QueueUrl: h.url('q') });
    h.apply('DeleteQueue', { QueueUrl: h.url('q') });
    expect(h.createQueue('q')).toBe(h.url('q'));
  });

  it('allow one PurgeQueue per minute when enforced', () => {
    const h = new Harness(true, true);
    h.createQueue('q');
    h.apply('PurgeQueue', { QueueUrl: h.url('q') });
    h.advance(59_999);
    const error = expectRejectedUnchanged(h, () => h.apply('PurgeQueue', { QueueUrl: h.url('q') }), 'PurgeQueueInProgress');
    expect(error.message).toBe('Only one PurgeQueue operation on q is allowed every 60 seconds.');
    expect(error.status).toBe(403);
    h.advance(1);
    h.apply('PurgeQueue', { QueueUrl: h.url('q') });
  });

  it('keep a deleted name for a minute when enforced, and survive a rebuild from records', () => {
    const h = new Harness(true, true);
    h.createQueue('q');
    h.apply('DeleteQueue', { QueueUrl: h.url('q') });
    h.advance(30_000);
    const error = expectRejectedUnchanged(h, () => h.createQueue('q'), 'QueueDeletedRecently');
    expect(error.message).toBe('You must wait 60 seconds after deleting a queue before you can create another with the same name.');
    const copy = new Harness(true, true);
    copy.engine.importRecords(h.engine.exportRecords());
    copy.now = h.now;
    expectRejectedUnchanged(copy, () => copy.createQueue('q'), 'QueueDeletedRecently');
    h.advance(30_000);
    expect(h.engine.housekeepingDue(h.now)).toBe(true);
    h.apply('Housekeeping', { kind: 'housekeeping' });
    expect([...h.records().keys()]).toEqual([]);
    expect(h.createQueue('q')).toBe(h.url('q'));
  });
});
