/**
 * What a process costs, read from Linux's /proc: CPU time (user + system) and peak resident
 * memory. Reading /proc from outside keeps the measured process untouched, so every system
 * (replimq, fauxqs, the ceiling) is measured the same way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Clock ticks per second for /proc/<pid>/stat's utime/stime (100 on almost every Linux). */
const TICKS_PER_SECOND = readTicksPerSecond();

function readTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU seconds (user + system) the process has used since it started. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return parseCpuTicks(stat) / TICKS_PER_SECOND;
}

/**
 * utime and stime are fields 14 and 15; the command name (field 2) sits in parentheses and may
 * itself hold spaces, so fields are counted from the last ')'.
 */
export function parseCpuTicks(stat: string): number {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state), so field n is afterName[n - 3].
  return Number(afterName[14 - 3]) + Number(afterName[15 - 3]);
}

/** Peak resident set size in bytes (VmHWM), since start or since the last `resetPeakRss`. */
export function peakRssBytes(pid: number): number {
  return parseStatusKiB(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM') * 1024;
}

/** Resident set size in bytes now (VmRSS). */
export function currentRssBytes(pid: number): number {
  return parseStatusKiB(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS') * 1024;
}

export function parseStatusKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/**
 * Resets VmHWM to the current RSS (`5` to clear_refs, Linux ≥ 4.0), so a workload's peak is its
 * own and not the previous workload's. Allowed for processes we own; ignored where it is not.
 */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Without the reset the figure is the peak since start: still an upper bound.
  }
}

/** CPU seconds all cores of the machine have spent busy (everything but idle and iowait) since boot. */
export function machineBusySeconds(): number {
  return parseBusyTicks(readFileSync('/proc/stat', 'utf8')) / TICKS_PER_SECOND;
}

/** First line of /proc/stat: `cpu user nice system idle iowait irq softirq steal ...`. */
export function parseBusyTicks(stat: string): number {
  const fields = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}
