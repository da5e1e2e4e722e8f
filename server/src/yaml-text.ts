/**
 * YAML parsing for the files a node may be given (config file, SigV4 credentials file), loaded
 * on first use: most nodes read no YAML, and the parser's modules are a good share of start-up.
 * Loaded synchronously (the package ships CommonJS too) because both readers are synchronous.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

let yaml: Yaml | undefined;

export function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yaml.parse(text) as unknown;
}
