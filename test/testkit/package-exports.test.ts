/**
 * The package as users get it: `replimq-testkit` resolved through its `exports` (built dist/ and
 * .d.ts), used with `await using` so that disposal needs no code.
 */
import { describe, expect, it } from 'vitest';
import * as testkit from 'replimq-testkit';
import type { StartedReplimqProcess } from 'replimq-testkit';

describe('replimq-testkit package', () => {
  it('exports the public API from its built entry point', () => {
    for (const name of ['ReplimqContainer', 'ReplimqCluster', 'ReplimqProcess', 'expectReplicated', 'expectAckModeHolds', 'expectConverged', 'ClusterFormationError']) {
      expect(typeof (testkit as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(testkit.ACK_MODES).toEqual(['none', 'one', 'majority', 'all']);
  });

  it('disposes a started node at the end of an `await using` block', async () => {
    let pid: number | undefined;
    {
      await using node: StartedReplimqProcess = await new testkit.ReplimqProcess().start();
      pid = node.pid;
      expect((await node.admin().health()).healthy).toBe(true);
    }
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});
