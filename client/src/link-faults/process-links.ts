/**
 * Link proxies for the process runtime: in the testkit's own process on 127.0.0.1, one listener
 * per directed link, in front of the target node's gRPC port.
 */
import { nodeIdOf } from '../cluster-runtime.js';
import { ClusterLinks, directedPairs } from './cluster-links.js';
import { LinkProxies } from './link-proxies.js';
import { LocalLinkPlane } from './link-plane.js';

const HOST = '127.0.0.1';

export async function startProcessLinks(size: number, grpcPortOf: (number: number) => number, seed: number): Promise<ClusterLinks> {
  const proxies = new LinkProxies(seed);
  const ports = new Map<string, number>();
  try {
    for (const [from, to] of directedPairs(size)) {
      ports.set(`${from}>${to}`, await proxies.open(nodeIdOf(from), nodeIdOf(to), { host: HOST, port: grpcPortOf(to) }));
    }
  } catch (error) {
    await proxies.close();
    throw error;
  }
  return new ClusterLinks(new LocalLinkPlane(proxies), (self) =>
    Array.from({ length: size }, (_, index) => index + 1).map((number) => ({
      id: nodeIdOf(number),
      host: HOST,
      port: number === self ? grpcPortOf(self) : ports.get(`${self}>${number}`)!,
    })),
  );
}
