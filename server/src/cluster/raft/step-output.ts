/**
 * What one step has produced so far; `RaftCore` turns it into `Effects` when the step ends.
 */
import type { InstallSnapshot } from './effects.js';
import type { ConfigurationAt } from './membership.js';
import type { LogEntry, NodeId, Outbound, RaftMessage } from './messages.js';

export class StepOutput<P> {
  installSnapshot: InstallSnapshot | undefined = undefined;
  readonly entries: LogEntry<P>[] = [];
  readonly messages: Outbound<P>[] = [];
  replication = false;
  diverged = false;
  /** The configuration became this one during the step. */
  configuration: ConfigurationAt | undefined = undefined;

  send(to: NodeId, message: RaftMessage<P>): void {
    this.messages.push({ to, message });
  }
}
