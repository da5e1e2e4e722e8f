/**
 * The configuration a node uses right now — the latest in its log, committed or not — and what
 * follows from it: who votes, how many make a quorum, who owns which term.
 *
 * Replaced as a whole whenever the log gains a configuration entry or a snapshot brings one, so
 * nothing derived from an older configuration survives a change (no node counts votes or
 * acknowledgements under two configurations at once).
 */
import { type ConfigurationAt, type Member, type MemberRole, voterIds } from './membership.js';
import type { LogPosition, NodeId } from './messages.js';
import { TermOwners } from './term-owners.js';

export class ActiveConfiguration {
  readonly voters: readonly NodeId[];
  /** Votes (or holders) needed: a majority of the voters. */
  readonly quorum: number;
  private readonly owners: TermOwners;
  /** Term owners as this node campaigns: the voters, plus itself when it is none of them. */
  private readonly ownTerms: TermOwners;

  /** Asked on every acknowledgement (commit, holders): a map, not a scan. */
  private readonly roles: ReadonlyMap<NodeId, MemberRole>;

  constructor(
    readonly self: NodeId,
    readonly at: ConfigurationAt,
  ) {
    this.roles = new Map(at.configuration.members.map((member) => [member.id, member.role]));
    this.voters = voterIds(at.configuration);
    this.quorum = Math.floor(this.voters.length / 2) + 1;
    this.owners = new TermOwners(self, this.voters);
    this.ownTerms = this.selfVotes ? this.owners : new TermOwners(self, [...this.voters, self]);
  }

  get members(): readonly Member[] {
    return this.at.configuration.members;
  }

  roleOf(id: NodeId): MemberRole | undefined {
    return this.roles.get(id);
  }

  isVoter(id: NodeId): boolean {
    return this.roleOf(id) === 'voter';
  }

  /** This node is a voter: its vote and its copy count. */
  get selfVotes(): boolean {
    return this.isVoter(this.self);
  }

  /** The only voter: it needs nobody's vote or acknowledgement. */
  get alone(): boolean {
    return this.selfVotes && this.voters.length === 1;
  }

  /** Every other member (voters and learners): who a leader replicates to. */
  otherMembers(): NodeId[] {
    return this.members.map((member) => member.id).filter((id) => id !== this.self);
  }

  /** Every other voter: who a candidate asks for votes. */
  otherVoters(): NodeId[] {
    return this.voters.filter((id) => id !== this.self);
  }

  /** Is this the configuration at `position` ((0, 0) when absent: the bootstrap one)? */
  isAt(position: LogPosition | undefined): boolean {
    return (position?.index ?? 0) === this.at.index && (position?.term ?? 0) === this.at.term;
  }

  ownerOf(term: number): NodeId | undefined {
    return this.voters.length === 0 ? undefined : this.owners.ownerOf(term);
  }

  /** The first term after `term` this node may campaign in. */
  nextOwnTerm(term: number): number {
    return this.ownTerms.nextOwnTerm(term);
  }

  /** Where this configuration came from, as vote requests carry it. */
  get position(): LogPosition {
    return { index: this.at.index, term: this.at.term };
  }
}
