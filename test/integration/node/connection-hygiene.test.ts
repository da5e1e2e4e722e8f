/**
 * Connection hygiene on both HTTP ports: sockets that never send a byte and idle kept-alive ones
 * are closed, a declared body over the limit is refused before it is sent, the connection cap
 * holds, and none of it cuts a long poll. Limits are set short here so "closed" comes soon; the
 * tests only wait for it, they never time it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startNode, type StartedNode } from '../../support/start-node.js';
import { sqsClient } from './node-fixture.js';

const SHORT = { keepAliveTimeoutMs: 300, headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 4096 };

/** A raw TCP connection, with what it received and whether the server closed it. */
interface RawConnection {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
}

function open(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

function isOpen(connection: RawConnection): Promise<boolean> {
  return Promise.race([connection.closed.then(() => false), new Promise<boolean>((done) => setTimeout(() => done(true), 200))]);
}

describe('HTTP connection hygiene', () => {
  let node: StartedNode;
  const connections: RawConnection[] = [];

  beforeAll(async () => {
    node = await startNode({ config: { http: SHORT } });
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.destroy();
    await node.stop();
  });

  const tracked = async (url: string): Promise<RawConnection> => {
    const connection = await open(url);
    connections.push(connection);
    return connection;
  };

  it('closes connections that never send a byte, on the SQS and the admin port', async () => {
    const silent = await Promise.all([tracked(node.sqsEndpoint), tracked(node.adminEndpoint)]);
    await Promise.all(silent.map((connection) => connection.closed));
  });

  it('closes a connection that stops in the middle of its headers', async () => {
    const connection = await tracked(node.sqsEndpoint);
    connection.socket.write('POST / HTTP/1.1\r\nHost: x\r\n');
    await connection.closed;
  });

  it('closes a kept-alive connection once it sat idle after an answer', async () => {
    const connection = await tracked(node.adminEndpoint);
    connection.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses a declared SQS body over the limit at once, without its bytes, and closes', async () => {
    const connection = await tracked(node.sqsEndpoint);
    connection.socket.write(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.ListQueues\r\n' +
        'Content-Length: 104857600\r\n\r\n',
    );
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 400 /);
    expect(connection.received()).toMatch(/connection: close/i);
    expect(connection.received()).toContain('InvalidParameterValue');
  });

  it('answers Expect: 100-continue for an oversized body with the refusal, not a go-ahead', async () => {
    const connection = await tracked(node.sqsEndpoint);
    connection.socket.write(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Expect: 100-continue\r\nContent-Length: 104857600\r\n\r\n',
    );
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 400 /);
    expect(connection.received()).not.toContain('100 Continue');
  });

  it('refuses a declared admin body over 1 MiB with 413 at once, and closes', async () => {
    const connection = await tracked(node.adminEndpoint);
    connection.socket.write('POST /faults HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n');
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('does not cut a long poll that outlasts every timeout', async () => {
    const sqs = sqsClient(node.sqsEndpoint);
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'long-poll-hygiene' }));
      // 2 s of waiting with no byte on the wire: longer than the idle, headers and request limits.
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
      expect(Messages ?? []).toEqual([]);
    } finally {
      sqs.destroy();
    }
  });
});

describe('HTTP connection cap', () => {
  let node: StartedNode;
  const connections: RawConnection[] = [];

  beforeAll(async () => {
    node = await startNode({ config: { http: { ...SHORT, headersTimeoutMs: 30_000, requestTimeoutMs: 60_000, maxConnections: 2 } } });
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.destroy();
    await node.stop();
  });

  it('closes a connection beyond the cap at once and serves again when one is free', async () => {
    const held = [await open(node.sqsEndpoint), await open(node.sqsEndpoint)];
    connections.push(...held);
    const third = await open(node.sqsEndpoint);
    connections.push(third);
    await third.closed;
    expect(third.received()).toBe('');
    expect(await Promise.all(held.map(isOpen))).toEqual([true, true]);

    held[0]!.socket.destroy();
    await held[0]!.closed;
    const sqs = sqsClient(node.sqsEndpoint);
    try {
      // The server hears of the close shortly after the client: retry until the slot is free.
      let answered = false;
      for (let attempt = 0; attempt < 50 && !answered; attempt++) {
        answered = await sqs.send(new ListQueuesCommand({})).then(() => true, () => false);
      }
      expect(answered).toBe(true);
    } finally {
      sqs.destroy();
    }
  });
});
