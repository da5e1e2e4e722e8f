/**
 * The `replimq-testkit` command. `experiment` starts a cluster, runs a failure experiment on it
 * with a progress line, prints the verdict per ack mode, writes the report, and exits non-zero
 * when a promise was broken (see EXPERIMENT_USAGE for the exit codes).
 */
import { ReplimqCluster } from '../cluster.js';
import { describeError, InvalidOptionError } from '../errors.js';
import { formatProgress } from '../experiment/progress.js';
import type { ExperimentProgress } from '../experiment/progress.js';
import type { AckModeSummary } from '../experiment/summary.js';
import { EXPERIMENT_USAGE, parseExperimentArgs } from './experiment-args.js';
import type { ExperimentCommand } from './experiment-args.js';

export const EXIT = { kept: 0, broken: 1, usage: 2, failed: 3 } as const;

const USAGE = `Usage: replimq-testkit <command> [options]

Commands:
  experiment   run a seeded failure experiment on a new cluster and report per ack mode
               (replimq-testkit experiment --help)
`;

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  /** The progress line is redrawn in place on a terminal, printed every few seconds otherwise. */
  tty: boolean;
}

const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
};

export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    output.out(USAGE);
    return command === undefined ? EXIT.usage : EXIT.kept;
  }
  if (command !== 'experiment') {
    output.err(`unknown command "${command}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseExperimentArgs(rest);
  } catch (error) {
    output.err(`${describeError(error)}\n\n${EXPERIMENT_USAGE}`);
    return EXIT.usage;
  }
  if (parsed.help) {
    output.out(EXPERIMENT_USAGE);
    return EXIT.kept;
  }
  try {
    return await runCommand(parsed, output);
  } catch (error) {
    output.err(`\nexperiment failed: ${describeError(error)}\n`);
    return error instanceof InvalidOptionError ? EXIT.usage : EXIT.failed;
  }
}

async function runCommand(command: ExperimentCommand, output: Output): Promise<number> {
  let builder = new ReplimqCluster(command.nodes).withStorage(command.storage).withRuntime(command.runtime);
  if (command.image) builder = builder.withImage(command.image);
  if (command.serverBin) builder = builder.withServerBin(command.serverBin);
  if (command.linkFaults) builder = builder.withLinkFaults({ seed: command.experiment.seed ?? 1 });
  output.err(`starting ${command.nodes} nodes (${command.storage}, runtime ${command.runtime})…\n`);
  await using cluster = await builder.start();
  let lastPrinted = 0;
  const progress = (state: ExperimentProgress) => {
    const line = formatProgress(state);
    if (output.tty) output.err(`\r\u001b[2K${line}`);
    else if (state.phase !== 'workload' || state.elapsedMs - lastPrinted >= 5_000) {
      lastPrinted = state.elapsedMs;
      output.err(`${line}\n`);
    }
  };
  const result = await cluster.experiment({ ...command.experiment, onProgress: progress });
  if (output.tty) output.err('\n');
  const files = await result.writeReport(command.out ?? `replimq-experiment-${result.seed}`);
  const { summary } = result;
  output.out(`\nseed ${result.seed}: ${summary.operations.total} operations, ${summary.faults} faults, ${cluster.runtimeKind} runtime\n`);
  for (const mode of Object.values(summary.byAckMode) as AckModeSummary[]) output.out(`${verdictLine(mode)}\n`);
  output.out(`convergence: ${summary.converged ? 'every node holds the same state' : 'the nodes did NOT converge'}${summary.drained ? '' : ` (not drained: ${summary.undrainedQueues.join(', ')})`}\n`);
  for (const problem of result.problems) output.out(`problem: ${problem}\n`);
  output.out(`report: ${files.html}\n`);
  output.out(summary.promisesKept ? 'every ack mode kept its promise\n' : 'A PROMISE WAS BROKEN\n');
  return summary.promisesKept ? EXIT.kept : EXIT.broken;
}

function verdictLine(mode: AckModeSummary): string {
  const figures = `acked ${mode.acked}, lost ${mode.lost}, recovered ${mode.recovered}, duplicates ${mode.duplicates}, FIFO order ${mode.orderViolations}, dedup ${mode.dedupViolations}, phantoms ${mode.phantoms}`;
  return `${mode.ackMode.padEnd(8)} ${mode.kept ? 'kept  ' : 'BROKEN'}  ${figures}${mode.kept ? '' : ` — ${mode.broken.join('; ')}`}`;
}
