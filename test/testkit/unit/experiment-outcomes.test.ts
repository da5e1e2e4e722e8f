/**
 * Outcomes as the history records them: only what certainly did not happen is `fail`; timeouts,
 * 5xx answers and cut connections are `unknown`. And the plots' numbers from a history.
 */
import { describe, expect, it } from 'vitest';
import { batchEntryOutcome, classifyError } from '../../../client/src/experiment/outcome.js';
import { messageBody, readMessageBody } from '../../../client/src/experiment/message-body.js';
import { percentile, plotData } from '../../../client/src/experiment/report-data.js';

const sdkError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('experiment outcomes', () => {
  it('calls timeouts, 503s and other 5xx unknown, never failures', () => {
    expect(classifyError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toEqual({ outcome: 'unknown', error: 'timeout' });
    expect(classifyError(Object.assign(new Error('t'), { name: 'TimeoutError' })).outcome).toBe('unknown');
    expect(classifyError(sdkError('ServiceUnavailable', 503))).toEqual({ outcome: 'unknown', error: 'ServiceUnavailable (503)' });
    expect(classifyError(sdkError('InternalFailure', 500)).outcome).toBe('unknown');
    expect(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({ outcome: 'unknown', error: 'ECONNRESET' });
  });

  it('calls 4xx answers and connections never made failures', () => {
    expect(classifyError(sdkError('QueueDoesNotExist', 400))).toEqual({ outcome: 'fail', error: 'QueueDoesNotExist (400)' });
    expect(classifyError(sdkError('RequestThrottled', 403)).outcome).toBe('fail');
    expect(classifyError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toEqual({ outcome: 'fail', error: 'ECONNREFUSED' });
    expect(classifyError(Object.assign(new Error('wrapped'), { cause: { code: 'ECONNREFUSED' } })).outcome).toBe('fail');
  });

  it("reads a batch entry's SenderFault: the server's fault is unknown, the sender's a failure", () => {
    expect(batchEntryOutcome({ Code: 'InternalError', SenderFault: false }).outcome).toBe('unknown');
    expect(batchEntryOutcome({ Code: 'InvalidParameterValue', SenderFault: true }).outcome).toBe('fail');
  });

  it('writes bodies of the chosen size that carry their id, and tells a changed or foreign body', () => {
    const body = messageBody('run1', 'p1.7', 100);
    expect(body).toHaveLength(100);
    expect(readMessageBody('run1', body, 100)).toEqual({ id: 'p1.7', intact: true });
    expect(readMessageBody('run1', `${body.slice(0, 99)}x`, 100)).toEqual({ id: 'p1.7', intact: false });
    expect(readMessageBody('run1', 'someone else', 100)).toEqual({ intact: true });
    expect(readMessageBody('run2', body, 100).id).toBeUndefined();
  });
});

describe('report numbers', () => {
  it('buckets operations per node: ok per second, latency percentiles, errors per second', () => {
    const operation = (id: number, node: number, invokeMs: number, completeMs: number, outcome: 'ok' | 'unknown') =>
      ({ id, worker: 'w', kind: 'send' as const, queue: 'q', node, invokeMs, completeMs, outcome });
    const data = plotData(
      {
        operations: [operation(0, 1, 0, 10, 'ok'), operation(1, 1, 0, 30, 'ok'), operation(2, 2, 0, 100, 'unknown')],
        faults: [{ index: 0, kind: 'pause', nodes: [2], description: 'paused n2', startMs: 50, endMs: 150 }],
        workloadEndMs: 200,
        drainStartMs: 200,
        drainEndMs: 250,
      },
      2,
    );
    expect(data.bucketMs).toBe(250);
    expect(data.nodes[0]!.throughput[0]).toBe(8);
    expect(data.nodes[0]!.latencyP50[0]).toBe(10);
    expect(data.nodes[0]!.latencyP99[0]).toBe(30);
    expect(data.nodes[1]!.errors[0]).toBe(4);
    expect(data.nodes[1]!.latencyP50[0]).toBeNull();
    expect(data.faults).toEqual([{ index: 0, kind: 'pause', description: 'paused n2', startMs: 50, endMs: 150 }]);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNull();
  });
});
