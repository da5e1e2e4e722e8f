/**
 * Splits the command line into settings (`--name value` or `--name=value`) without interpreting
 * them: values are parsed later, in precedence order, by the option table.
 */
import { ConfigError } from './config-error.js';
import { CONFIG_FLAG, OPTIONS, type OptionSpec } from './options.js';

export interface ParsedArgs {
  help: boolean;
  version: boolean;
  configFile: string | undefined;
  /** In command-line order; a repeated flag appears twice and the last one wins. */
  settings: { spec: OptionSpec; value: string }[];
}

const BY_FLAG = new Map(OPTIONS.map((spec) => [spec.flag, spec]));

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { help: false, version: false, configFile: undefined, settings: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg === '--version' || arg === '-v') parsed.version = true;
    else if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}" (see replimq --help)`);
    else {
      const equals = arg.indexOf('=');
      const name = arg.slice(2, equals === -1 ? undefined : equals);
      if (name !== CONFIG_FLAG && !BY_FLAG.has(name)) throw new ConfigError(`unknown option --${name} (see replimq --help)`);
      let value: string;
      if (equals !== -1) value = arg.slice(equals + 1);
      else {
        const next = argv[i + 1];
        const implied = BY_FLAG.get(name)?.impliedValue;
        if ((next === undefined || next.startsWith('--')) && implied !== undefined) value = implied;
        else if (next === undefined || next.startsWith('--')) throw new ConfigError(`option --${name} needs a value`);
        else {
          value = next;
          i++;
        }
      }
      if (name === CONFIG_FLAG) parsed.configFile = value;
      else parsed.settings.push({ spec: BY_FLAG.get(name)!, value });
    }
  }
  return parsed;
}
