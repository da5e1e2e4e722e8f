/**
 * A cluster that does not form says which node did not join, with that node's last log lines.
 * Provoked on the process runtime with a wrapper around the real server: one node refuses to start,
 * or one node is given a peer list of its own (it elects itself and never follows the others).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../client/src/cluster.js';
import { ClusterFormationError } from '../../client/src/errors.js';
import { resolveServerBin } from '../../client/src/server-bin.js';

const scratch = mkdtempSync(join(tmpdir(), 'replimq-formation-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A server bin that runs the real one, after `adjust` had its say about the arguments. */
function wrappedBin(name: string, adjust: string): string {
  const path = join(scratch, `${name}.mjs`);
  writeFileSync(
    path,
    `const args = process.argv.slice(2);\nconst nodeId = args[args.indexOf('--node-id') + 1];\n${adjust}\n` +
      `process.argv = [process.argv[0], process.argv[1], ...args];\nawait import(${JSON.stringify(resolveServerBin())});\n`,
  );
  return path;
}

async function formationError(bin: string): Promise<ClusterFormationError> {
  const error = await new ReplimqCluster(3).withRuntime('process').withServerBin(bin).withStartupTimeout(8_000).start().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ClusterFormationError);
  return error as ClusterFormationError;
}

describe('a cluster that does not form', () => {
  it('names the node that failed to start and quotes its log', async () => {
    const bin = wrappedBin('n2-refuses', `if (nodeId === 'n2') { console.error('n2 refuses to start (test double)'); process.exit(3); }`);
    const error = await formationError(bin);
    expect(error.nodeNumber).toBe(2);
    expect(error.message).toMatch(/^node 2 \(n2\) did not join the cluster/);
    expect(error.lastLogLines).toContain('n2 refuses to start (test double)');
  }, 60_000);

  it('names the node that runs but follows no common leader', async () => {
    const bin = wrappedBin(
      'n3-alone',
      `if (nodeId === 'n3') { const peers = args.indexOf('--peers') + 1; args[peers] = args[peers].split(',').filter((peer) => peer.startsWith('n3@')).join(','); }`,
    );
    const error = await formationError(bin);
    expect(error.nodeNumber).toBe(3);
    expect(error.message).toMatch(/node 3 \(n3\) did not join the cluster: timed out after 8000 ms waiting for every node to follow one elected leader/);
    expect(error.message).toContain('n3: leader term');
  }, 60_000);
});
