/**
 * The body of an experiment's message: its run, its id, and padding up to the chosen size. A
 * receive reads the id back and checks the body is exactly the one sent; a body of another run
 * (or of nobody) has no id, and the checker counts it as a phantom.
 */
const PREFIX = 'replimq-experiment';

export function messageBody(runId: string, id: string, bytes: number): string {
  const head = `${PREFIX} ${runId} ${id} `;
  return head + '.'.repeat(Math.max(0, bytes - head.length));
}

export function readMessageBody(runId: string, body: string, bytes: number): { id?: string; intact: boolean } {
  const [prefix, run, id] = body.split(' ', 3);
  if (prefix !== PREFIX || run !== runId || !id) return { intact: true };
  return { id, intact: body === messageBody(runId, id, bytes) };
}
