/**
 * Where the testkit sets link faults: proxies in its own process (process runtime), or in the
 * proxy sidecar through its control API (container runtime). Node ids name the links.
 */
import type { LinkFaultSpec } from './link-fault-spec.js';
import type { LinkProxies, LinkState } from './link-proxies.js';

export interface LinkPlane {
  setFaults(from: string, to: string, spec: LinkFaultSpec): Promise<void>;
  /** Ends every connection between the two nodes; resolves with how many. */
  reset(from: string, to: string): Promise<number>;
  states(): Promise<LinkState[]>;
  stop(): Promise<void>;
}

export class LocalLinkPlane implements LinkPlane {
  constructor(private readonly proxies: LinkProxies) {}

  async setFaults(from: string, to: string, spec: LinkFaultSpec): Promise<void> {
    this.proxies.setFaults(from, to, spec);
  }

  async reset(from: string, to: string): Promise<number> {
    return this.proxies.reset(from, to);
  }

  async states(): Promise<LinkState[]> {
    return this.proxies.states();
  }

  stop(): Promise<void> {
    return this.proxies.close();
  }
}

/** The sidecar's control API (link-control-server.ts) at `endpoint`; `stop` removes the sidecar. */
export class RemoteLinkPlane implements LinkPlane {
  constructor(
    private readonly endpoint: string,
    private readonly stopSidecar: () => Promise<void>,
  ) {}

  async setFaults(from: string, to: string, spec: LinkFaultSpec): Promise<void> {
    await this.request('PUT', `/links/${encodeURIComponent(from)}/${encodeURIComponent(to)}`, spec);
  }

  async reset(from: string, to: string): Promise<number> {
    const answer = (await this.request('POST', `/links/${encodeURIComponent(from)}/${encodeURIComponent(to)}/reset`)) as { connections: number };
    return answer.connections;
  }

  async states(): Promise<LinkState[]> {
    return (await this.request('GET', '/links')) as LinkState[];
  }

  stop(): Promise<void> {
    return this.stopSidecar();
  }

  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json()) as { error?: string };
    if (!response.ok) throw new Error(`link proxy sidecar: ${method} ${path} answered ${response.status}: ${answer.error ?? JSON.stringify(answer)}`);
    return answer;
  }
}
