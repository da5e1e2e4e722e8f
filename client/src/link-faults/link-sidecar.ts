/**
 * Link proxies for the container runtime: a sidecar container of the replimq image on the
 * cluster's network, reachable there as `replimq-links`, running the testkit's own proxy
 * (link-proxy-main.ts, copied in). Node a reaches node b at `replimq-links:<port of a→b>`; the
 * testkit sets faults through the sidecar's control API on a published port.
 *
 * A sidecar rather than proxies in the testkit's process: containers reach each other on their
 * network on every engine (Docker Desktop, rootless, remote), where reaching the host from a
 * container does not (host.docker.internal is Desktop's; rootless hides the host's loopback).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenericContainer, Wait } from 'testcontainers';
import type { StartedNetwork } from 'testcontainers';
import { nodeIdOf } from '../cluster-runtime.js';
import { debugLog } from '../debug-log.js';
import { ReplimqTestkitError } from '../errors.js';
import { trackContainer } from '../exit-cleanup.js';
import { ownerLabels } from '../orphan-sweep.js';
import { reaperSession } from '../reaper-session.js';
import { ClusterLinks, directedPairs } from './cluster-links.js';
import { RemoteLinkPlane } from './link-plane.js';

export const LINK_SIDECAR_ALIAS = 'replimq-links';
const CONTROL_PORT = 8474;
const APP = '/replimq-link-proxy';
/** The files the sidecar runs, all free of imports outside node built-ins and each other. */
const PROXY_FILES = ['link-faults/link-fault-spec.js', 'link-faults/link-direction.js', 'link-faults/link-proxies.js', 'link-faults/link-control-server.js', 'link-faults/link-proxy-main.js', 'experiment/prng.js'];
const log = debugLog('replimq:cluster');

/** Inside the sidecar, link a→b listens on 10000 + 10a + b (at most 9 nodes). */
function linkPort(from: number, to: number): number {
  return 10_000 + from * 10 + to;
}

export async function startLinkSidecar(network: StartedNetwork, image: string, size: number, grpcPort: number, aliasOf: (number: number) => string, seed: number): Promise<ClusterLinks> {
  const dist = compiledTestkit();
  const container = new LinkProxyContainer(image)
    .withOnlyNetwork(network, LINK_SIDECAR_ALIAS)
    .withEntrypoint(['node', `${APP}/link-faults/link-proxy-main.js`])
    .withCommand([])
    .withEnvironment({ REPLIMQ_LINK_SEED: String(seed), REPLIMQ_LINK_CONTROL_PORT: String(CONTROL_PORT) })
    .withCopyContentToContainer([{ content: '{"type":"module"}\n', target: `${APP}/package.json`, mode: 0o644 }])
    .withCopyFilesToContainer(PROXY_FILES.map((file) => ({ source: join(dist, file), target: `${APP}/${file}`, mode: 0o644 })))
    .withExposedPorts(CONTROL_PORT)
    .withLabels(ownerLabels())
    .withWaitStrategy(Wait.forHttp('/health', CONTROL_PORT).forStatusCode(200))
    .withStartupTimeout(30_000);
  if ((await reaperSession()).kind === 'unavailable') container.withAutoCleanup(false);
  const started = await container.start();
  const untrack = trackContainer(started.getId());
  const stop = async () => {
    await started.stop({ timeout: 1_000 }).catch(() => {});
    untrack();
  };
  const plane = new RemoteLinkPlane(`http://${started.getHost()}:${started.getMappedPort(CONTROL_PORT)}`, stop);
  try {
    for (const [from, to] of directedPairs(size)) {
      await plane.request('POST', '/links', { from: nodeIdOf(from), to: nodeIdOf(to), target: { host: aliasOf(to), port: grpcPort }, port: linkPort(from, to) });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(`link proxy sidecar ${started.getId().slice(0, 12)} carries ${size * (size - 1)} links`);
  return new ClusterLinks(plane, (self) =>
    Array.from({ length: size }, (_, index) => index + 1).map((number) =>
      number === self
        ? { id: nodeIdOf(number), host: aliasOf(number), port: grpcPort }
        : { id: nodeIdOf(number), host: LINK_SIDECAR_ALIAS, port: linkPort(self, number) },
    ),
  );
}

/** The testkit's compiled files: beside this one (dist), or client/dist when running from source. */
function compiledTestkit(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const dist = import.meta.url.endsWith('.js') ? join(here, '..') : join(here, '..', '..', 'dist');
  if (!existsSync(join(dist, PROXY_FILES[0]!))) {
    throw new ReplimqTestkitError(`the link proxy sidecar runs the testkit's compiled files, not found in ${dist}: build the testkit (npx tsc -b client)`);
  }
  return dist;
}

class LinkProxyContainer extends GenericContainer {
  /** The cluster network only, like the nodes (testcontainers' aliases would add the default bridge). */
  withOnlyNetwork(network: StartedNetwork, alias: string): this {
    this.withNetworkMode(network.getName());
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network.getName()]: { Aliases: [alias] } } };
    return this;
  }
}
