/** A declared Content-Length over the port's limit is refused before the body is read. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { declaresBodyOver } from '../../server/src/http-limits.js';

const declaring = (length?: string): IncomingMessage =>
  ({ headers: length === undefined ? {} : { 'content-length': length } }) as IncomingMessage;

describe('declaresBodyOver', () => {
  it('compares the declared length with the limit, whatever its number of digits', () => {
    const cases: [string | undefined, number, boolean][] = [
      [undefined, 4_194_304, false],
      ['300', 4_194_304, false],
      ['4194304', 4_194_304, false],
      ['4194305', 4_194_304, true],
      ['9999999', 4_194_304, true],
      ['00000000300', 4_194_304, false],
      ['00000004194305', 4_194_304, true],
      ['9', 9, false],
      ['10', 9, true],
      ['10', 10, false],
      ['0', 0, false],
      ['1', 0, true],
    ];
    // Alternating limits too: the digit count of the last limit is kept.
    for (const [length, limit, over] of [...cases, ...cases.reverse()]) {
      expect(declaresBodyOver(declaring(length), limit), `${length} against ${limit}`).toBe(over);
    }
  });
});
