import { describe, expect, it } from 'vitest';
import { Harness, START, expectRejectedUnchanged, expectSqsError } from './harness.js';

/** Two sources dead-letter into one DLQ; `count` messages of each are dead-lettered. */
function withDeadLetters(count: number): Harness {
  const h = new Harness();
  h.createQueue('dlq');
  h.createQueue('other');
  for (const source of ['src-a', 'src-b']) {
    h.createQueue(source, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.arn('dlq'), maxReceiveCount: 1 }) });
    for (let i = 0; i < count; i++) h.send(source, `${source}-${i}`);
    h.receive(source, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    h.receive(source, { MaxNumberOfMessages: 10 });
  }
  return h;
}

const housekeeping = (h: Harness) => h.apply('Housekeeping', { kind: 'housekeeping' });

describe('message move tasks', () => {
  it('moves dead letters back to their source queues', () => {
    const h = withDeadLetters(2);
    expect(h.counts('dlq')[0]).toBe(4);
    const { TaskHandle } = h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq') });
    expect(h.read('ListMessageMoveTasks', { SourceArn: h.arn('dlq') }).Results).toEqual([{
      TaskHandle, Status: 'RUNNING', SourceArn: h.arn('dlq'), ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: 4, StartedTimestamp: START,
    }]);
    expect(h.engine.housekeepingDue(h.now)).toBe(false);
    h.advance(1_000);
    expect(h.engine.housekeepingDue(h.now)).toBe(true);
    expect(housekeeping(h).moved).toBe(4);
    expect(h.counts('dlq')[0]).toBe(0);
    expect(h.receive('src-a', { MaxNumberOfMessages: 10, AttributeNames: ['All'] }).map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount, m.Attributes?.DeadLetterQueueSourceArn]))
      .toEqual([['src-a-0', '1', undefined], ['src-a-1', '1', undefined]]);
    expect(h.counts('src-b')[0]).toBe(2);
    const [task] = h.read('ListMessageMoveTasks', { SourceArn: h.arn('dlq') }).Results;
    expect(task).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 4 });
    expect(task?.TaskHandle).toBeUndefined();
  });

  it('moves to an explicit destination at MaxNumberOfMessagesPerSecond', () => {
    const h = withDeadLetters(5);
    h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq'), DestinationArn: h.arn('other'), MaxNumberOfMessagesPerSecond: 2 });
    h.advance(1_000);
    expect(housekeeping(h).moved).toBe(2);
    h.advance(499);
    expect(h.engine.housekeepingDue(h.now)).toBe(false);
    expect(housekeeping(h).moved).toBe(0);
    h.advance(1_501);
    expect(housekeeping(h).moved).toBe(4);
    h.advance(10_000);
    expect(housekeeping(h).moved).toBe(4);
    expect(h.counts('other')[0]).toBe(10);
    expect(h.read('ListMessageMoveTasks', { SourceArn: h.arn('dlq') }).Results[0]).toMatchObject({
      Status: 'COMPLETED', DestinationArn: h.arn('other'), MaxNumberOfMessagesPerSecond: 2, ApproximateNumberOfMessagesMoved: 10,
    });
  });

  it('allows one running task per source and cancels by handle', () => {
    const h = withDeadLetters(5);
    const { TaskHandle } = h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq'), MaxNumberOfMessagesPerSecond: 1 });
    const busy = expectRejectedUnchanged(h, () => h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq') }), 'InvalidParameterValue');
    expect(busy.message).toBe('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    h.advance(2_000);
    housekeeping(h);
    expect(h.apply('CancelMessageMoveTask', { TaskHandle })).toEqual({ ApproximateNumberOfMessagesMoved: 2 });
    expectSqsError(() => h.apply('CancelMessageMoveTask', { TaskHandle }), 'ResourceNotFoundException');
    h.advance(10_000);
    expect(housekeeping(h).moved).toBe(0);
    const second = h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq') });
    const listed = h.read('ListMessageMoveTasks', { SourceArn: h.arn('dlq'), MaxResults: 10 }).Results;
    expect(listed.map((task) => task.Status)).toEqual(['RUNNING', 'CANCELLED']);
    expect(listed[0]?.TaskHandle).toBe(second.TaskHandle);
  });

  it('validates its parameters', () => {
    const h = withDeadLetters(1);
    const notDlq = expectRejectedUnchanged(h, () => h.apply('StartMessageMoveTask', { SourceArn: h.arn('other') }), 'InvalidParameterValue');
    expect(notDlq.message).toBe('Source queue must be configured as a Dead Letter Queue.');
    expectRejectedUnchanged(h, () => h.apply('StartMessageMoveTask', { SourceArn: h.arn('missing') }), 'ResourceNotFoundException');
    const destination = expectRejectedUnchanged(h, () => h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq'), DestinationArn: h.arn('missing') }), 'ResourceNotFoundException');
    expect(destination.message).toBe("The resource that you specified for the DestinationArn parameter doesn't exist.");
    expectRejectedUnchanged(h, () => h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq'), MaxNumberOfMessagesPerSecond: 501 }), 'InvalidParameterValue');
    const badHandle = expectRejectedUnchanged(h, () => h.apply('CancelMessageMoveTask', { TaskHandle: 'garbage' }), 'InvalidParameterValue');
    expect(badHandle.message).toBe('Value for parameter TaskHandle is invalid.');
    const unknownTask = Buffer.from(JSON.stringify({ taskId: 'nope', sourceArn: h.arn('dlq') })).toString('base64');
    expect(expectRejectedUnchanged(h, () => h.apply('CancelMessageMoveTask', { TaskHandle: unknownTask }), 'ResourceNotFoundException').message).toBe('Task does not exist.');
    expectSqsError(() => h.read('ListMessageMoveTasks', { SourceArn: h.arn('missing') }), 'ResourceNotFoundException');
    expectSqsError(() => h.read('ListMessageMoveTasks', { SourceArn: h.arn('dlq'), MaxResults: 11 }), 'InvalidParameterValue');
  });

  it('moves dead letters whose visibility timeout ended since the DLQ was last touched', () => {
    // Ending a visibility timeout changes nothing until a command touches the queue, so the
    // task must bring due messages back before it looks for visible ones.
    const h = withDeadLetters(1);
    expect(h.receive('dlq', { MaxNumberOfMessages: 10, VisibilityTimeout: 1 })).toHaveLength(2);
    h.advance(1_000);
    h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq') });
    h.advance(1_000);
    expect(housekeeping(h).moved).toBe(2);
    expect(h.read('ListMessageMoveTasks', { SourceArn: h.arn('dlq') }).Results[0]).toMatchObject({
      Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 2,
    });
    expect(h.counts('src-a')[0] + h.counts('src-b')[0]).toBe(2);
  });

  it('redrives as new messages: new MessageId and enqueue time, retention counted from the move', () => {
    // Developer Guide, DLQ redrive: "The redrive task resets the retention period. All redriven
    // messages are considered new messages, and the system assigns them a new messageID and
    // enqueueTime."
    const h = withDeadLetters(1);
    h.apply('SetQueueAttributes', { QueueUrl: h.url('src-a'), Attributes: { MessageRetentionPeriod: '120' } });
    const deadIds = h.receive('dlq', { MaxNumberOfMessages: 10, VisibilityTimeout: 0 }).map((m) => m.MessageId);
    h.advance(100_000);
    h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq') });
    h.advance(1_000);
    const movedAt = h.now;
    expect(housekeeping(h).moved).toBe(2);
    h.advance(60_000);
    expect(housekeeping(h).expired).toBe(0);
    const [redriven] = h.receive('src-a', { AttributeNames: ['All'] });
    expect(redriven?.Body).toBe('src-a-0');
    expect(deadIds).not.toContain(redriven?.MessageId);
    expect(redriven?.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(redriven?.Attributes?.SentTimestamp).toBe(String(movedAt));
    h.apply('ChangeMessageVisibility', { QueueUrl: h.url('src-a'), ReceiptHandle: redriven?.ReceiptHandle as string, VisibilityTimeout: 0 });
    h.advance(60_000);
    expect(housekeeping(h).expired).toBe(1);
  });

  it('refuses a destination of the other queue type', () => {
    // Developer Guide, DLQ redrive: any queue may be the destination "if both queues are the same type".
    const h = withDeadLetters(1);
    h.createQueue('other.fifo', { FifoQueue: 'true' });
    const error = expectRejectedUnchanged(h, () => h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq'), DestinationArn: h.arn('other.fifo') }), 'InvalidParameterValue');
    expect(error.message).toBe('The destination queue must be the same type as the source queue.');
  });

  it('fails when the destination disappears', () => {
    const h = withDeadLetters(2);
    h.apply('StartMessageMoveTask', { SourceArn: h.arn('dlq'), DestinationArn: h.arn('other'), MaxNumberOfMessagesPerSecond: 1 });
    h.advance(1_000);
    housekeeping(h);
    h.apply('DeleteQueue', { QueueUrl: h.url('other') });
    h.advance(1_000);
    housekeeping(h);
    expect(h.read('ListMessageMoveTasks', { SourceArn: h.arn('dlq') }).Results[0]).toMatchObject({
      Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue', ApproximateNumberOfMessagesMoved: 1,
    });
  });
});
