/**
 * fauxqs 2.x (the workspace's `fauxqs2` devDependency, an npm alias of `fauxqs@^2`), run on Node
 * 22 (it needs ≥ 22.5) as a child process with logging off, bound to 127.0.0.1 like fauxqs 1.x
 * (see fauxqs-server.ts): the same `buildApp` API.
 *
 * Run as: `node22 fauxqs2-server.js <port>`.
 */
import { buildApp } from 'fauxqs2';

const port = Number(process.argv[2]);
const app = buildApp({ logger: false });
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
