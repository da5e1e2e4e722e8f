/**
 * The third, lightest loader for the one case where every request is the same bytes (SendMessage
 * and SendMessageBatch to one queue): autocannon writes pre-built requests on raw sockets, so the
 * loader takes the least CPU from the 2 cores the server shares with it. It is the loader the
 * issue's reference figures (the ceiling at ~18,000 req/s) were taken with.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../latency-recorder.js';
import type { Measurement } from '../workloads/workload.js';

export interface FixedRequest {
  endpoint: string;
  action: string;
  /** The AWS JSON 1.0 request body, sent unchanged every time. */
  payload: string;
  connections: number;
  durationMs: number;
  /** Messages each successful request moves (10 for a full batch). */
  messagesPerRequest: number;
  /** `query`: the payload is an AWS Query form (Action=… in the body, no X-Amz-Target). */
  protocol?: 'json' | 'query';
}

export function runFixedRequest(request: FixedRequest): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${request.endpoint}/`,
        connections: request.connections,
        duration: request.durationMs / 1000,
        method: 'POST',
        headers:
          request.protocol === 'query'
            ? { 'content-type': 'application/x-www-form-urlencoded' }
            : { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${request.action}` },
        body: request.payload,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const errors = result.errors + result.timeouts + result.non2xx;
        resolve({
          messages: result['2xx'] * request.messagesPerRequest,
          errors,
          ...(errors ? { firstError: `${result.non2xx} non-2xx answers, ${result.errors} socket errors, ${result.timeouts} timeouts` } : {}),
          elapsedMs: performance.now() - started,
          latency: recorder.summary(),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, milliseconds) => {
      if (statusCode >= 200 && statusCode < 300) recorder.record(milliseconds);
    });
  });
}
