/**
 * Runs an ES module snippet in a child Node process with `testkit` (the built client package) in
 * scope, asynchronously (several may run at once, and this process keeps serving meanwhile).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const clientDist = fileURLToPath(new URL('../../../client/dist/index.js', import.meta.url));

export interface ChildOutput {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `environment` replaces the inherited one where given; `undefined` values are removed. */
export async function runTestkitScript(body: string, environment: Record<string, string | undefined> = {}): Promise<ChildOutput> {
  if (!existsSync(clientDist)) throw new Error(`${clientDist} is missing: run "npm run build" first`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...environment })) if (value !== undefined) env[key] = value;
  const script = `const testkit = await import(${JSON.stringify(clientDist)});\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { status, stdout: stdout.trim(), stderr };
}

/** The same, failing unless the child exits 0. */
export async function runTestkitScriptOk(body: string, environment: Record<string, string | undefined> = {}): Promise<ChildOutput> {
  const output = await runTestkitScript(body, environment);
  if (output.status !== 0) throw new Error(`child exited ${output.status}:\n${output.stderr}`);
  return output;
}
