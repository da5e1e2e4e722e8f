/**
 * The link proxy sidecar's entry point: `node link-faults/link-proxy-main.js` in a container of
 * the replimq image (which has Node and no shell) on the cluster's network. The testkit copies the
 * compiled link files in, then drives the proxies through the control API.
 *
 * Environment: `REPLIMQ_LINK_SEED` (the generators' seed), `REPLIMQ_LINK_CONTROL_PORT`.
 */
import { LinkProxies } from './link-proxies.js';
import { serveLinkControl } from './link-control-server.js';

const seed = Number(process.env.REPLIMQ_LINK_SEED ?? '1');
const port = Number(process.env.REPLIMQ_LINK_CONTROL_PORT ?? '8474');
const proxies = new LinkProxies(Number.isSafeInteger(seed) ? seed : 1);
await serveLinkControl(proxies, port);
console.log(`link proxies: control API on port ${port}, seed ${seed}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void proxies.close().finally(() => process.exit(0));
  });
}
