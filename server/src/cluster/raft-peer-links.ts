/**
 * What the replicator tells the transport about peers, and what it logs of them: which members
 * to keep links to as the configuration changes (`onPeersChanged`, called only when the set
 * changes), the leader's view of each follower's progress (probe, replicate, snapshot), and this
 * node's own removal. Kept apart from the replicator's write path: none of it runs per write.
 */
import type { Logger } from '../log.js';
import type { ConfigurationAt, RaftStatus } from './raft/index.js';
import type { Member } from './transport.js';

export class PeerLinks {
  /** Every member address seen in a configuration: a removed member's link lasts until its
   *  removal commits, after it left the configuration in use. */
  private readonly knownAddresses = new Map<string, string>();
  private linkedPeers = '';
  private wasMember: boolean;
  private readonly peerStates = new Map<string, string>();

  constructor(
    private readonly nodeId: string,
    private readonly logger: Logger,
    private readonly report: ((peers: readonly Member[]) => void) | undefined,
    inUse: ConfigurationAt,
    isMember: boolean,
  ) {
    for (const member of inUse.configuration.members) this.knownAddresses.set(member.id, member.address);
    this.wasMember = isMember;
  }

  /** The configuration in use changed (an entry appended or truncated, or a snapshot). */
  configurationChanged(at: ConfigurationAt, status: RaftStatus): void {
    const { members } = at.configuration;
    for (const member of members) this.knownAddresses.set(member.id, member.address);
    this.logger.info('configuration changed', { index: at.index, members: describeMembers(members) });
    const isMember = members.some((member) => member.id === this.nodeId);
    if (this.wasMember && !isMember) {
      this.logger.warn('this node was removed from the cluster: it takes no part any more (stop it, or add it again)');
    }
    this.wasMember = isMember;
    this.sync(status);
  }

  /** Links for the configuration's members, the members being removed (the leader still feeds
   *  them until the removal commits, so they learn of it), and the leader this node follows even
   *  when it removed itself (it leads until the removal commits, which needs these answers). */
  sync(status: RaftStatus): void {
    const { members } = status.configuration.configuration;
    if (!this.report || members.length === 0) return;
    const wanted = new Map<string, string>();
    for (const member of members) wanted.set(member.id, member.address);
    const keep = status.leader === undefined ? status.peers.map((peer) => peer.id) : [status.leader, ...status.peers.map((peer) => peer.id)];
    for (const id of keep) {
      const address = this.knownAddresses.get(id);
      if (!wanted.has(id) && address !== undefined) wanted.set(id, address);
    }
    wanted.delete(this.nodeId);
    let key = '';
    for (const [id, address] of wanted) key += `${id}@${address},`;
    if (key === this.linkedPeers) return;
    this.linkedPeers = key;
    this.report([...wanted].map(([id, address]) => ({ id, address })));
  }

  /** Leader: logs when a follower switches between probing, replicating and snapshot catch-up. */
  watchProgress(status: RaftStatus): void {
    if (status.role !== 'leader') {
      this.peerStates.clear();
      return;
    }
    for (const peer of status.peers) {
      const previous = this.peerStates.get(peer.id);
      if (previous === peer.state) continue;
      this.peerStates.set(peer.id, peer.state);
      if (previous === undefined && peer.state === 'probe') continue;
      this.logger.info('follower progress', {
        peer: peer.id,
        state: peer.state,
        match: peer.match,
        lag: status.lastIndex - peer.match,
      });
    }
  }
}

export function describeMembers(members: readonly { id: string; address: string; role: string }[]): string {
  return members.map((member) => `${member.id}@${member.address}${member.role === 'learner' ? '(learner)' : ''}`).join(',');
}
