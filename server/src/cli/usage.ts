/** `replimq --help`, generated from the option table so it cannot drift from the parser. */
import { defaultConfig } from '../config.js';
import { CONFIG_ENV, OPTIONS, envName } from './options.js';

export function usage(): string {
  const defaults = defaultConfig();
  const rows = OPTIONS.map((spec) => [
    `--${spec.flag} ${spec.placeholder}`,
    `${spec.description} [${spec.shownDefault(defaults)}]`,
    envName(spec),
  ]);
  rows.unshift(['--config <file>', 'JSON or YAML file with settings and queues to create', CONFIG_ENV]);
  const width = Math.max(...rows.map(([flag]) => flag!.length));
  const lines = rows.map(([flag, description, env]) => `  ${flag!.padEnd(width)}  ${description}\n  ${''.padEnd(width)}  env ${env}`);
  return [
    'Usage: replimq [options]',
    '       replimq cluster status|add|remove …   (the members of a running cluster: replimq cluster --help)',
    '',
    'An Amazon SQS-compatible message queue server; nodes replicate every queue and message.',
    'Precedence: flag > environment variable > config file > default.',
    '',
    'Options:',
    ...lines,
    '  -h, --help     show this help',
    '  -v, --version  show the version',
    '',
  ].join('\n');
}
