/**
 * Busy loops at normal priority, one process each: a machine made busy on purpose. One per core
 * is a loaded CI box (start-up rows); one on these 2 cores is "half busy", the condition of issue
 * 14's second SendMessage target (`--busy 1`). Their CPU shows in every row's `bg cpu`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stopChild } from './systems/child-server.js';

export interface BusyLoops {
  readonly count: number;
  stop(): Promise<void>;
}

export function startBusyLoops(count: number): BusyLoops {
  const children: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return {
    count,
    stop: async () => {
      await Promise.all(children.map((child) => stopChild(child)));
    },
  };
}
