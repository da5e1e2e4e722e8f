/**
 * Where the process runtime finds the server's entry point: an explicit path, `REPLIMQ_BIN`, the
 * repository checkout this testkit sits in, or the installed `replimq` package.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReplimqTestkitError } from './errors.js';

export function resolveServerBin(explicit?: string): string {
  const candidates = [explicit, process.env.REPLIMQ_BIN, checkoutBin(), installedBin()].filter(
    (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new ReplimqTestkitError(
      `cannot find the replimq server's bin/replimq.js (looked at: ${candidates.join(', ') || 'nothing'}); ` +
        'install the "replimq" package, or set REPLIMQ_BIN',
    );
  }
  return found;
}

function checkoutBin(): string {
  // client/dist/server-bin.js (or client/src/ under a TS loader) → server/bin/replimq.js
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'server', 'bin', 'replimq.js');
}

function installedBin(): string | undefined {
  try {
    // The package's main is dist/index.js; its bin sits beside dist.
    return join(dirname(fileURLToPath(import.meta.resolve('replimq'))), '..', 'bin', 'replimq.js');
  } catch {
    return undefined;
  }
}
