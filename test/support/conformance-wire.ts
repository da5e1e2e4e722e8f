/**
 * Raw HTTP for the conformance suite: a recording proxy that shows what an SDK really put on the
 * wire (and what came back), and a plain request helper for input no SDK would send.
 * Everything listens on and talks to 127.0.0.1 only.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedExchange {
  method: string;
  path: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: string;
  status: number;
  responseHeaders: IncomingHttpHeaders;
  responseBody: string;
}

export interface RecordingProxy {
  /** Point an SDK here instead of at the target. */
  readonly endpoint: string;
  readonly exchanges: RecordedExchange[];
  stop(): Promise<void>;
}

/**
 * Forwards every request unchanged (the Host header included, so queue URLs name the proxy and
 * follow-up calls come back through it) and records both directions. `rewriteResponse` may alter
 * the answer the client sees (the recording keeps the original), e.g. to prove an SDK notices a
 * corrupted MD5.
 */
export async function startRecordingProxy(
  targetEndpoint: string,
  options: { rewriteResponse?: (body: string) => string } = {},
): Promise<RecordingProxy> {
  const target = new URL(targetEndpoint);
  const exchanges: RecordedExchange[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const responseBody = Buffer.concat(answerChunks);
            exchanges.push({
              method: incoming.method ?? '',
              path: incoming.url ?? '',
              requestHeaders: incoming.headers,
              requestBody: requestBody.toString('utf8'),
              status: answer.statusCode ?? 0,
              responseHeaders: answer.headers,
              responseBody: responseBody.toString('utf8'),
            });
            const delivered = options.rewriteResponse
              ? Buffer.from(options.rewriteResponse(responseBody.toString('utf8')), 'utf8')
              : responseBody;
            outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(delivered.length) });
            outgoing.end(delivered);
          });
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    exchanges,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** One HTTP request as given: no signing, no SDK validation. */
export async function rawRequest(
  endpoint: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<RawAnswer> {
  const response = await fetch(new URL(options.path ?? '/', endpoint), {
    method: options.method ?? 'POST',
    headers: options.headers,
    body: options.body,
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** A form-encoded Query request, as an old SDK or curl would send it. */
export function queryRequest(endpoint: string, parameters: Record<string, string>, path = '/'): Promise<RawAnswer> {
  return rawRequest(endpoint, {
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2012-11-05', ...parameters }).toString(),
  });
}

/** An AWS JSON 1.0 request for `AmazonSQS.<target>` with a raw body. */
export function jsonRequest(endpoint: string, target: string, body: string): Promise<RawAnswer> {
  return rawRequest(endpoint, {
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}` },
    body,
  });
}
