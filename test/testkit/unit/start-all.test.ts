import { describe, expect, it } from 'vitest';
import { WaitTimeoutError, ReplimqTestkitError } from '../../../client/src/errors.js';
import { startAllOrNone } from '../../../client/src/start-all.js';

describe('starting every node or none', () => {
  it('names a node that crashed before nodes that only ran out of time, and stops the ones that came up', async () => {
    const stopped: number[] = [];
    const start = async (number: number) => {
      if (number === 1) throw new ReplimqTestkitError('n1 did not report healthy', { cause: new WaitTimeoutError('timed out after 8000 ms') });
      if (number === 2) throw new ReplimqTestkitError('node n2 exited (3) while starting');
      return { number, stop: async () => void stopped.push(number) };
    };
    await expect(startAllOrNone([1, 2, 3], start)).rejects.toThrow('node n2 exited (3) while starting');
    expect(stopped).toEqual([3]);
  });

  it('names the first timeout when every failure is one', async () => {
    const start = async (number: number): Promise<{ stop(): Promise<void> }> => {
      throw new WaitTimeoutError(`n${number} timed out`);
    };
    await expect(startAllOrNone([1, 2], start)).rejects.toThrow('n1 timed out');
  });
});
