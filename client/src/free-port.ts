/** Ports for process-runtime nodes: asked of the kernel on 127.0.0.1, then released for the node. */
import { createServer } from 'node:net';

/** Ports this process already handed out. The kernel may give a just-released port again, and a
 *  node given the same port for two of its listeners (or two nodes sharing one) fails to start. */
const handedOut = new Set<number>();
const ATTEMPTS = 100;

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = await askKernelForPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no port on 127.0.0.1 that this process has not handed out already after ${ATTEMPTS} attempts`);
}

function askKernelForPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
