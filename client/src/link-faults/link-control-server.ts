/**
 * The proxy sidecar's control API, Toxiproxy's in spirit: the testkit opens links and sets their
 * faults over HTTP/JSON on one published port, the only port of the sidecar the host sees.
 *
 * - `GET /health`: 200 once listening.
 * - `GET /links`: every direction's faults and open connections.
 * - `POST /links` `{ from, to, target: { host, port }, port }`: listen on `port` for `from`'s
 *   connections to `to`; answers `{ port }`.
 * - `PUT /links/<from>/<to>` (a LinkFaultSpec): the faults of direction `from` → `to`.
 * - `POST /links/<from>/<to>/reset`: ends every connection between the two; answers `{ connections }`.
 * - `DELETE /links/faults`: every direction healthy.
 *
 * Bad input is a 400 naming what is wrong. Imports only node built-ins and link files.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseLinkFaultSpec } from './link-fault-spec.js';
import type { LinkProxies, LinkTarget } from './link-proxies.js';

const MAX_BODY_BYTES = 64 * 1024;

export async function serveLinkControl(proxies: LinkProxies, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((request, response) => {
    handle(proxies, request).then(
      ([status, body]) => answer(response, status, body),
      (error: unknown) => answer(response, 400, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}

export function controlPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

async function handle(proxies: LinkProxies, request: IncomingMessage): Promise<[number, unknown]> {
  const path = new URL(request.url ?? '/', 'http://link-control').pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method ?? 'GET';
  if (method === 'GET' && path.join('/') === 'health') return [200, { status: 'ok' }];
  if (path[0] !== 'links') return [404, { error: `no such resource ${request.url}` }];
  if (method === 'GET' && path.length === 1) return [200, proxies.states()];
  if (method === 'DELETE' && path.length === 2 && path[1] === 'faults') {
    proxies.healAll();
    return [200, { healed: true }];
  }
  if (method === 'POST' && path.length === 1) {
    const { from, to, target, port } = (await readJson(request)) as { from?: unknown; to?: unknown; target?: LinkTarget; port?: unknown };
    if (typeof from !== 'string' || typeof to !== 'string' || typeof target?.host !== 'string' || typeof target.port !== 'number' || typeof port !== 'number') {
      throw new Error('a link is { from, to, target: { host, port }, port }');
    }
    return [200, { port: await proxies.open(from, to, target, { host: '0.0.0.0', port }) }];
  }
  const [, from, to, action] = path;
  if (from === undefined || to === undefined) return [404, { error: `no such resource ${request.url}` }];
  if (method === 'PUT' && action === undefined) {
    const parsed = parseLinkFaultSpec(await readJson(request));
    if ('error' in parsed) throw new Error(parsed.error);
    proxies.setFaults(from, to, parsed.spec);
    return [200, { from, to, faults: parsed.spec }];
  }
  if (method === 'POST' && action === 'reset') return [200, { connections: proxies.reset(from, to) }];
  return [405, { error: `${method} ${request.url} is not supported` }];
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) throw new Error('request body too large');
  }
  return JSON.parse(text || '{}');
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
