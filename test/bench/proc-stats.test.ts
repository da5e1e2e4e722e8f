import { describe, expect, it } from 'vitest';
import { parseBusyTicks, parseCpuTicks, parseStatusKiB } from '../../bench/src/proc-stats.js';

describe('reading /proc', () => {
  it('adds utime and stime, counting fields after a command name that holds spaces and parentheses', () => {
    const stat = '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 731 92 0 0 20 0 11 0 5000 1000000 20000';
    expect(parseCpuTicks(stat)).toBe(731 + 92);
  });

  it('reads a kB field of /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n';
    expect(parseStatusKiB(status, 'VmHWM')).toBe(123456);
    expect(parseStatusKiB(status, 'VmSwap')).toBe(0);
  });

  it('counts every busy column of /proc/stat and neither idle nor iowait', () => {
    const stat = 'cpu  100 5 50 9000 300 7 3 2 0 0\ncpu0 50 2 25 4500 150 3 1 1 0 0\n';
    expect(parseBusyTicks(stat)).toBe(100 + 5 + 50 + 7 + 3 + 2);
  });
});
