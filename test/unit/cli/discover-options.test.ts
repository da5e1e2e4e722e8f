/**
 * `--discover` and `--bootstrap-expect` as flags, environment and config keys, the node id a
 * discovering node takes from its host name, and the combinations refused before any port opens.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../server/src/cli/resolve-config.js';
import { ConfigError } from '../../../server/src/cli/config-error.js';

const secret = { REPLIMQ_CLUSTER_SECRET: 'discover-options-secret-0123456789' };

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const request = resolveConfig(argv, { ...secret, ...env });
  if (request.kind !== 'run') throw new Error(request.kind);
  return request.config;
}

describe('--discover and --bootstrap-expect', () => {
  it('take dns:NAME[:PORT] and a count, from flags or the environment, and the node id from $HOSTNAME', () => {
    const config = run(['--discover', 'dns:replimq-headless.ns.svc.cluster.local:9400', '--bootstrap-expect', '3'], { HOSTNAME: 'replimq-0' });
    expect(config.cluster.discover).toEqual({ name: 'replimq-headless.ns.svc.cluster.local', port: 9400 });
    expect(config.cluster.bootstrapExpect).toBe(3);
    expect(config.cluster.nodeId).toBe('replimq-0');
    const fromEnv = run([], { REPLIMQ_DISCOVER: 'dns:replimq', REPLIMQ_BOOTSTRAP_EXPECT: '5', HOSTNAME: 'n2.example.internal' });
    expect(fromEnv.cluster.discover).toEqual({ name: 'replimq', port: undefined });
    expect(fromEnv.cluster.nodeId).toBe('n2');
    expect(run(['--discover', 'dns:replimq', '--bootstrap-expect', '3', '--node-id', 'own'], { HOSTNAME: 'host' }).cluster.nodeId).toBe('own');
  });

  it('are refused in bad forms and combinations, with one line each', () => {
    const refused = (argv: string[], env: NodeJS.ProcessEnv = {}) => () => resolveConfig(argv, { HOSTNAME: 'h1', ...env });
    expect(refused(['--discover', 'consul:x', '--bootstrap-expect', '3'], secret)).toThrow(/expected dns:<name>/);
    expect(refused(['--discover', 'dns:x:70000', '--bootstrap-expect', '3'], secret)).toThrow(ConfigError);
    expect(refused(['--discover', 'dns:x'], secret)).toThrow(/needs --bootstrap-expect/);
    expect(refused(['--bootstrap-expect', '3'], secret)).toThrow(/goes with --discover/);
    expect(refused(['--discover', 'dns:x', '--bootstrap-expect', '3', '--peers', 'h1@a:1'], secret)).toThrow(/give one of them/);
    expect(refused(['--discover', 'dns:x', '--bootstrap-expect', '3'])).toThrow(/cluster secret/);
    expect(refused(['--discover', 'dns:x', '--bootstrap-expect', '0'], secret)).toThrow(/member count/);
    expect(refused(['--discover', 'dns:x', '--bootstrap-expect', '3'], { ...secret, HOSTNAME: '-bad' })).toThrow(/set --node-id/);
  });
});
