/**
 * The ceiling: a bare `node:http` server that answers every SQS call with a reply built once at
 * start-up. It does no queue work at all, so its throughput is the most any Node HTTP server can
 * reach on this machine with the same loader — the 100% mark for every other system.
 *
 * Run as a child process: `node ceiling-server.js <port> [bodyBytes]`.
 */
import http from 'node:http';
import { BATCH_IDS, DEFAULT_BODY_BYTES, fixedBody, md5Hex } from '../message-body.js';

const port = Number(process.argv[2]);
const bodyBytes = Number(process.argv[3] ?? DEFAULT_BODY_BYTES);
const body = fixedBody(bodyBytes);
const md5 = md5Hex(body);
const queueUrl = `http://127.0.0.1:${port}/000000000000/ceiling`;

/** One pre-serialized answer per action; unknown actions get the SendMessage answer. */
const replies = new Map<string, Buffer>(
  Object.entries({
    CreateQueue: { QueueUrl: queueUrl },
    GetQueueUrl: { QueueUrl: queueUrl },
    DeleteQueue: {},
    SendMessage: { MD5OfMessageBody: md5, MessageId: '6f1c2a4e-0000-4000-8000-000000000000' },
    SendMessageBatch: {
      Successful: BATCH_IDS.map((Id) => ({ Id, MD5OfMessageBody: md5, MessageId: `6f1c2a4e-0000-4000-8000-00000000000${Id}` })),
      Failed: [],
    },
    ReceiveMessage: {
      Messages: BATCH_IDS.map((Id) => ({ MessageId: `6f1c2a4e-0000-4000-8000-00000000000${Id}`, ReceiptHandle: `handle-${Id}`, MD5OfBody: md5, Body: body })),
    },
    DeleteMessageBatch: { Successful: BATCH_IDS.map((Id) => ({ Id })), Failed: [] },
  }).map(([action, reply]) => [action, Buffer.from(JSON.stringify(reply))]),
);
const fallback = replies.get('SendMessage')!;

const server = http.createServer((request, response) => {
  // The request body must still be read, or keep-alive connections stall.
  request.resume();
  request.on('end', () => {
    const target = request.headers['x-amz-target'];
    const action = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '';
    const reply = replies.get(action) ?? fallback;
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': reply.length });
    response.end(reply);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
