/**
 * The last lines a node printed, kept in memory so that an error can quote them even after the
 * container or process is gone (testcontainers removes a container that failed to become ready).
 */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly capacity = 200) {}

  /** Accepts output in arbitrary chunks; only complete lines are kept apart. */
  write(chunk: string | Buffer): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.push(line);
  }

  last(count: number): string[] {
    const complete = this.partial ? [...this.lines, this.partial] : this.lines;
    return complete.slice(-count);
  }

  private push(line: string): void {
    this.lines.push(line.replace(/\r$/, ''));
    if (this.lines.length > this.capacity) this.lines.shift();
  }
}
