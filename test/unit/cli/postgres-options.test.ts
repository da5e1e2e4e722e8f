import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../server/src/cli/resolve-config.js';
import { ConfigError } from '../../../server/src/cli/config-error.js';

const URL = 'postgres://replimq:secret@db.internal:5432/queues';

describe('postgres storage settings', () => {
  it('takes the database URL from the flag, REPLIMQ_POSTGRES_URL or the config key', () => {
    const fromFlag = resolveConfig(['--storage', 'postgres', '--postgres-url', URL], {});
    const fromEnv = resolveConfig([], { REPLIMQ_STORAGE: 'postgres', REPLIMQ_POSTGRES_URL: URL });
    const dir = mkdtempSync(join(tmpdir(), 'replimq-cli-'));
    try {
      const file = join(dir, 'replimq.json');
      writeFileSync(file, JSON.stringify({ storage: 'postgres', postgresUrl: URL }));
      const fromFile = resolveConfig(['--config', file], {});
      for (const request of [fromFlag, fromEnv, fromFile]) {
        expect(request.kind === 'run' && request.config).toMatchObject({ storage: 'postgres', postgresUrl: URL });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--storage', 'postgres'], '--storage postgres needs --postgres-url'],
    [['--storage', 'postgres', '--postgres-url', 'mysql://x/y'], 'expected a postgres:// URL'],
    [['--storage', 'postgres', '--postgres-url', URL, '--peers', 'n1@a:1,n2@b:2'], '--storage postgres takes no --peers'],
  ])('rejects %j', (argv, message) => {
    expect(() => resolveConfig(argv, {})).toThrow(ConfigError);
    expect(() => resolveConfig(argv, {})).toThrow(message);
  });
});
