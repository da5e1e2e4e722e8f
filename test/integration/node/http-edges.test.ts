/**
 * The HTTP edges browsers and probes meet: CORS on the SQS port (preflights, exposed headers,
 * allowed origins), plain OPTIONS, and HEAD / 405 + Allow on the admin port.
 */
import { describe, expect, it } from 'vitest';
import { useNode } from './node-fixture.js';

const SDK_HEADERS = 'amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-target,x-amz-user-agent';

describe('CORS on the SQS port (every origin, the default)', () => {
  const target = useNode();

  it('answers the v3 SDK preflight with its methods and the headers it asked for', async () => {
    const response = await fetch(`${target.node().sqsEndpoint}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': SDK_HEADERS },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe(SDK_HEADERS);
  });

  it('lets a page read the request id and the error code of a real answer', async () => {
    const response = await fetch(`${target.node().sqsEndpoint}/`, {
      method: 'POST',
      headers: { origin: 'http://app.example:3000', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
      body: JSON.stringify({ QueueName: 'nope' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const header of ['x-amzn-requestid', 'x-amzn-query-error', 'x-replimq-log-index', 'x-replimq-replicas']) expect(exposed).toContain(header);
  });

  it('adds nothing for clients that send no Origin, and answers a plain OPTIONS with Allow', async () => {
    const plain = await fetch(`${target.node().sqsEndpoint}/?Action=ListQueues`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    // HEAD wherever GET is served: a Query GET's headers, no body.
    const head = await fetch(`${target.node().sqsEndpoint}/?Action=ListQueues`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/xml');
    expect(await head.text()).toBe('');
    const options = await fetch(`${target.node().sqsEndpoint}/`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toContain('POST');
  });
});

describe('CORS on the SQS port (a list of origins)', () => {
  const target = useNode({ config: { corsOrigins: ['http://allowed.example'] } });

  it('echoes an allowed origin and refuses the preflight of any other', async () => {
    const allowed = await fetch(`${target.node().sqsEndpoint}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://allowed.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
    expect(allowed.headers.get('vary')).toContain('Origin');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-amz-target');

    const other = await fetch(`${target.node().sqsEndpoint}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const call = await fetch(`${target.node().sqsEndpoint}/?Action=ListQueues`, { headers: { origin: 'http://evil.example' } });
    expect(call.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('HEAD and 405 on the admin port', () => {
  const target = useNode();

  it('answers HEAD wherever GET is served, without a body', async () => {
    for (const path of ['/health', '/cluster', '/queues', '/metrics', '/']) {
      const get = await fetch(`${target.node().adminEndpoint}${path}`);
      const head = await fetch(`${target.node().adminEndpoint}${path}`, { method: 'HEAD' });
      expect(head.status, path).toBe(get.status);
      expect(head.headers.get('content-type'), path).toBe(get.headers.get('content-type'));
      expect(await head.text(), path).toBe('');
    }
  });

  it('answers a method a path does not serve with 405 and Allow', async () => {
    const response = await fetch(`${target.node().adminEndpoint}/health`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});
