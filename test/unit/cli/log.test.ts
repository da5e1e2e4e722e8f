import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/src/log.js';

describe('createLogger', () => {
  const capture = (level: 'error' | 'warn' | 'info' | 'debug') => {
    const lines: string[] = [];
    return { lines, logger: createLogger(level, (line) => lines.push(line)) };
  };

  it('drops lines below its level', () => {
    const { lines, logger } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((line) => line.split(/\s+/).slice(1).join(' '))).toEqual(['warn w', 'error e']);
  });

  it('writes one line with an ISO time, the level and key=value fields, quoting where needed', () => {
    const { lines, logger } = capture('info');
    logger.child({ component: 'sqs' }).info('sqs listening', { url: 'http://127.0.0.1:9324', note: 'two words', skipped: undefined });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  sqs listening component=sqs url=http:\/\/127\.0\.0\.1:9324 note="two words"$/);
  });

  it('writes one JSON object per line in the json format, its own keys winning over fields of the same name', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', format: 'json', sink: (line) => lines.push(line) });
    logger.child({ component: 'sqs' }).info('sqs listening', { url: 'http://127.0.0.1:9324', port: 9324, msg: 'spoof', skipped: undefined });
    logger.debug('dropped');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['time', 'level', 'msg']);
    expect(parsed).toEqual({ component: 'sqs', url: 'http://127.0.0.1:9324', port: 9324, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'info', msg: 'sqs listening' });
  });
});
