/**
 * fauxqs 1.9.2, the peer SQS emulator, run as a child process with logging off. Its own
 * `startFauxqs` binds 0.0.0.0; the benchmark stays on 127.0.0.1, so the app is built and bound
 * here instead.
 *
 * Run as: `node fauxqs-server.js <port>`.
 */
import { buildApp } from 'fauxqs';

const port = Number(process.argv[2]);
const app = buildApp({ logger: false });
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
