/**
 * Command-line options of `npm run bench -- [options]`.
 */
import { LOADER_KINDS, type LoaderKind } from './loader/sqs-caller.js';
import type { ScenarioGroup } from './scenario.js';
import { WORKLOADS } from './workloads/registry.js';
import type { WorkloadName } from './workloads/workload.js';

/** Scale dimensions and the issue-14 groups (start-up is measured apart, not as a scenario). */
export type ScaleName = Exclude<ScenarioGroup, 'headline'> | 'startup';
export const SCALES: readonly ScaleName[] = ['depth', 'size', 'queues', 'cluster-size', 'sync', 'consumers', 'memory', 'follower', 'startup'];
/** Full mode's default: all but `sync` (SQLite fsync costs, run alone with `--scales sync`). */
export const FULL_SCALES: readonly ScaleName[] = SCALES.filter((scale) => scale !== 'sync');
/** Quick mode's default: the issue-14 rows, at small sizes. */
export const QUICK_SCALES: readonly ScaleName[] = ['consumers', 'memory', 'follower', 'startup'];

export interface BenchOptions {
  quick: boolean;
  /** Run the headline table (every system × headline workloads). */
  headline: boolean;
  scales: ScaleName[];
  /** Keep only systems whose name starts with one of these. */
  systems?: string[];
  workloads?: WorkloadName[];
  loaders: LoaderKind[];
  concurrency?: number[];
  rounds?: number;
  durationMs?: number;
  warmupMs?: number;
  /** Depths for the depth scale (overrides the mode's list). */
  depths?: number[];
  /** Write a V8 CPU profile of every replimq/fauxqs process into this run's results folder. */
  cpuProf: boolean;
  /** Busy-loop processes kept running through the measured scenarios (1 on 2 cores = half busy). */
  busy: number;
}

export const USAGE = `npm run bench -- [options]
  --quick                 headline table with short rounds, plus the start-up, consumers,
                          memory and follower rows at small sizes (a few minutes)
  --systems a,b           only systems whose name starts with a or b
                          (ceiling, fauxqs, replimq-memory, replimq-sqlite, replimq-3n-<ack>, replimq-3n-shared-pg, ...)
  --workloads a,b         ${Object.keys(WORKLOADS).join(', ')}
  --loaders sdk,raw,autocannon   load generators (default all; autocannon: fixed sends only)
  --concurrency 1,16      SendMessage concurrencies of the headline (default 16; quick: SDK c=1 too)
  --scales a,b|none       ${SCALES.join(', ')}
                          (full default: all but sync; quick: ${QUICK_SCALES.join(', ')})
  --no-headline           skip the headline table (scale runs only)
  --depths 1000,1000000   queue depths for the depth scale (and the FIFO drains of consumers)
  --rounds N --duration MS --warmup MS   override the mode's round settings (--rounds: also
                          the fresh starts per start-up row)
  --cpu-prof              write .cpuprofile files of the servers to bench/results/profiles/
  --busy N                keep N busy loops running through the scenarios (--busy 1 on 2 cores:
                          the "half busy" machine of issue 14's SendMessage target)
`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, headline: true, scales: [], loaders: [...LOADER_KINDS], cpuProf: false, busy: 0 };
  let scalesGiven = false;
  const list = (value: string | undefined): string[] => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const numbers = (flag: string, value: string | undefined): number[] =>
    list(value).map((item) => {
      const number = Number(item);
      if (!Number.isFinite(number) || number <= 0) throw new Error(`${flag}: "${item}" is not a positive number`);
      return number;
    });
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    const value = (): string | undefined => argv[++index];
    switch (flag) {
      case '--quick': options.quick = true; break;
      case '--no-headline': options.headline = false; break;
      case '--cpu-prof': options.cpuProf = true; break;
      case '--systems': options.systems = list(value()); break;
      case '--workloads': options.workloads = list(value()).map(checkWorkload); break;
      case '--loaders': options.loaders = list(value()).map(checkLoader); break;
      case '--concurrency': options.concurrency = numbers(flag, value()); break;
      case '--scales': {
        scalesGiven = true;
        const names = list(value());
        options.scales = names.includes('none') ? [] : names.map(checkScale);
        break;
      }
      case '--depths': options.depths = numbers(flag, value()); break;
      case '--rounds': options.rounds = numbers(flag, value())[0]; break;
      case '--duration': options.durationMs = numbers(flag, value())[0]; break;
      case '--warmup': options.warmupMs = numbers(flag, value())[0]; break;
      case '--busy': {
        const count = Number(value());
        if (!Number.isInteger(count) || count < 0) throw new Error('--busy: a whole number of busy loops (0 or more)');
        options.busy = count;
        break;
      }
      case '--help': case '-h': throw new UsageRequested();
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!scalesGiven) options.scales = [...(options.quick ? QUICK_SCALES : FULL_SCALES)];
  return options;
}

export class UsageRequested extends Error {}

function checkWorkload(name: string): WorkloadName {
  if (!(name in WORKLOADS)) throw new Error(`unknown workload ${name}: ${Object.keys(WORKLOADS).join(', ')}`);
  return name as WorkloadName;
}

function checkLoader(name: string): LoaderKind {
  if (!LOADER_KINDS.includes(name as LoaderKind)) throw new Error(`unknown loader ${name}: ${LOADER_KINDS.join(', ')}`);
  return name as LoaderKind;
}

function checkScale(name: string): ScaleName {
  if (!SCALES.includes(name as ScaleName)) throw new Error(`unknown scale ${name}: ${SCALES.join(', ')}`);
  return name as ScaleName;
}
