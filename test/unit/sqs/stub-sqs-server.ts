/**
 * A real HTTP server on 127.0.0.1 running the SQS request listener in front of a stub service
 * that records what the protocol layer decoded and answers with whatever the test chose. Real
 * SDK clients talk to it, so the tests see the bytes the SDKs really send and parse.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import AWS from 'aws-sdk-query';
import { afterAll, beforeAll } from 'vitest';
import type { SqsRequest } from '../../../server/src/engine/actions.js';
import type { RequestContext } from '../../../server/src/cluster/replicator.js';
import { createSqsRequestListener, type SqsHttpOptions } from '../../../server/src/sqs/http-listener.js';
import type { ServiceAnswer, SqsService } from '../../../server/src/sqs/sqs-service.js';

export interface RecordedCall {
  request: SqsRequest;
  context: RequestContext;
}

export interface RawExchange {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class StubSqsServer {
  readonly calls: RecordedCall[] = [];
  /** What each request sent on the wire, to check which protocol an SDK really used. */
  readonly raw: RawExchange[] = [];
  answer: (request: SqsRequest) => ServiceAnswer | Promise<ServiceAnswer> = () => ({ output: {} });
  readonly logged: unknown[] = [];
  private readonly jsonClients: SQSClient[] = [];

  private constructor(private readonly server: Server) {}

  static async start(options: SqsHttpOptions = {}): Promise<StubSqsServer> {
    let stub: StubSqsServer | undefined;
    const service: SqsService = {
      handle: async (request, context) => {
        stub!.calls.push({ request, context });
        return stub!.answer(request);
      },
    };
    const listener = createSqsRequestListener(service, {
      log: (_message, error) => stub!.logged.push(error),
      newRequestId: () => 'req-1',
      ...options,
    });
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        stub!.raw.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      listener(req, res);
    });
    stub = new StubSqsServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  queueUrl(name = 'q1'): string {
    return `${this.endpoint}/000000000000/${name}`;
  }

  /** The one request the last SDK call produced. */
  lastRequest(): SqsRequest {
    const call = this.calls.at(-1);
    if (!call) throw new Error('the service received no request');
    return call.request;
  }

  jsonClient(): SQSClient {
    const client = new SQSClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDJSONCLIENT', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    this.jsonClients.push(client);
    return client;
  }

  queryClient(): AWS.SQS {
    return new AWS.SQS({
      endpoint: this.endpoint,
      region: 'us-east-1',
      accessKeyId: 'AKIDQUERYCLIENT',
      secretAccessKey: 'secret',
      maxRetries: 0,
    });
  }

  async stop(): Promise<void> {
    for (const client of this.jsonClients) client.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts a stub server for the enclosing `describe` and stops it afterwards. */
export function useStubSqsServer(options: SqsHttpOptions = {}): () => StubSqsServer {
  let stub: StubSqsServer | undefined;
  beforeAll(async () => {
    stub = await StubSqsServer.start(options);
  });
  afterAll(async () => {
    await stub?.stop();
  });
  return () => {
    if (!stub) throw new Error('the stub server is not started yet');
    return stub;
  };
}
