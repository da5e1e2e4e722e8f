/**
 * examples/compose/docker-compose.yml, read as compose reads it (YAML merge keys, `${VAR}` and
 * `${VAR:-default}` interpolation), checked against the real CLI: every node's environment is
 * accepted by resolveConfig, the nodes discover each other by one network alias and take their
 * ids from their host names (the service names), each node keeps SQLite data in
 * a volume of its own, and the image is the version the testkit builds. (CI also runs
 * `docker-compose config` and starts it: scripts/compose-check.sh.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveConfig } from '../../../server/src/cli/resolve-config.js';
import { OPTIONS, envName } from '../../../server/src/cli/options.js';

const composeFile = new URL('../../../examples/compose/docker-compose.yml', import.meta.url);
const serverVersion = (JSON.parse(readFileSync(new URL('../../../server/package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Service {
  image: string;
  hostname: string;
  networks: { default: { aliases: string[] } };
  environment: Record<string, string>;
  volumes: string[];
  ports: string[];
}

function interpolate(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, fallback?: string) => {
    const value = variables[name];
    if (value !== undefined && value !== '') return value;
    if (kind === '-') return fallback ?? '';
    throw new Error(`${name} is required: ${fallback}`);
  });
}

function load(variables: Record<string, string>): Record<string, Service> {
  const document = parse(interpolate(readFileSync(composeFile, 'utf8'), variables), { merge: true }) as { services: Record<string, Service> };
  return document.services;
}

describe('examples/compose/docker-compose.yml', () => {
  const services = load({ REPLIMQ_CLUSTER_SECRET: 'compose-test-secret' });
  const names = Object.keys(services);

  it('is a 3-node cluster found by DNS under one alias, ids from host names, each node on SQLite in a volume of its own', () => {
    expect(names).toEqual(['n1', 'n2', 'n3']);
    const known = new Set(OPTIONS.map(envName));
    for (const [name, service] of Object.entries(services)) {
      for (const key of Object.keys(service.environment)) expect(known.has(key), `${name}: ${key}`).toBe(true);
      // Docker sets $HOSTNAME to the container's host name.
      const request = resolveConfig([], { ...service.environment, HOSTNAME: service.hostname });
      if (request.kind !== 'run') throw new Error(`${name}: resolveConfig answered ${request.kind}`);
      const { config } = request;
      expect(config.cluster.nodeId).toBe(name);
      expect(config.storage).toBe('sqlite');
      expect(service.hostname).toBe(name);
      expect(config.cluster.peers).toEqual([]);
      expect(service.networks.default.aliases).toEqual(['replimq']);
      expect(config.cluster.discover).toEqual({ name: 'replimq', port: undefined });
      expect(config.cluster.bootstrapExpect).toBe(names.length);
      expect(service.volumes).toEqual([`${name}-data:${config.dataDir}`]);
      expect(config.cluster.security.secrets).toEqual(['compose-test-secret']);
      expect(service.image).toBe(`replimq:${serverVersion}`);
    }
    expect(new Set(names.map((name) => services[name]!.volumes[0]!.split(':')[0])).size).toBe(3);
  });

  it('publishes the admin API on the host loopback only, and the SQS ports on distinct host ports', () => {
    const sqsPorts = names.map((name) => services[name]!.ports[0]!);
    expect(new Set(sqsPorts.map((port) => port.split(':')[0])).size).toBe(3);
    for (const name of names) expect(services[name]!.ports[1]).toMatch(/^127\.0\.0\.1:\d+:9325$/);
  });

  it('refuses to start without a cluster secret', () => {
    expect(() => load({})).toThrow(/REPLIMQ_CLUSTER_SECRET is required/);
  });
});
