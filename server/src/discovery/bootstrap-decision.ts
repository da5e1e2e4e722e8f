/**
 * The bootstrap rule of `--discover` with `--bootstrap-expect N`, as a pure function: what a
 * node has learned about the addresses DNS gave it in → whether it waits, locks on a member set,
 * or forms a cluster with it. The DNS and gRPC I/O around it is in form-cluster.ts.
 *
 * Why it cannot make two clusters out of one (docs/DESIGN.md, "Discovery"):
 *
 * 1. A node *locks* at most once, on exactly N ids (itself included), and never changes its lock
 *    (a SQLite node keeps it in its data directory before it tells anyone, bootstrap-record.ts).
 * 2. A node *forms* only once every member of its lock has been seen locked on the same set
 *    (through the authenticated identify call), or answered as a member of a formed cluster
 *    that has it as a member (which, by 1 and 2 applied to that member, is the same set).
 * 3. So two formed sets that share a node are both that node's lock: they are equal. Two
 *    different clusters need 2N nodes, none of them in both — with the N nodes of one deployment
 *    behind the name, at most one cluster forms.
 *
 * Liveness: an unlocked node locks when every address it resolved is identified and exactly N
 * distinct ids are seen, or adopts the lock of a peer that already holds one naming it (DNS
 * views of nodes that started at different times converge on one set instead of waiting for
 * all to see the same records).
 */
export interface MemberAddress {
  host: string;
  port: number;
}

/** What one address (from DNS, or a locked member's) turned out to be this round. */
export type Observation =
  /** It answered the identify call and proved it holds the cluster secret. */
  | { kind: 'identified'; id: string; address: MemberAddress; lock: readonly string[] | undefined }
  /** It answered an authenticated raft call as `id`, a member of a formed cluster listing us
   *  (only asked of the members of this node's lock). */
  | { kind: 'formed'; id: string; address: MemberAddress }
  /** No (trusted) answer: not up yet, not replimq, or without our secret. */
  | { kind: 'unidentified'; address: MemberAddress; reason: string };

export interface BootstrapState {
  readonly selfId: string;
  readonly self: MemberAddress;
  readonly expect: number;
  /** The sorted ids this node is locked on; undefined until it locks. */
  readonly lock: readonly string[] | undefined;
  /** Members of the lock seen locked on it (or formed with us): the fact is permanent. */
  readonly confirmed: readonly string[];
  /** Where each id was last found. */
  readonly addresses: Readonly<Record<string, MemberAddress>>;
}

export type BootstrapDecision =
  | { kind: 'wait'; reason: string }
  /** Persist `lock` before answering anyone with it, then go on. */
  | { kind: 'lock'; lock: readonly string[] }
  /** The initial configuration: every member (this node included) and its address. */
  | { kind: 'form'; members: readonly (MemberAddress & { id: string })[] };

export function initialBootstrapState(selfId: string, self: MemberAddress, expect: number, lock?: readonly string[]): BootstrapState {
  return { selfId, self, expect, lock: lock ? [...lock].sort() : undefined, confirmed: [], addresses: { [selfId]: self } };
}

export function stepBootstrap(state: BootstrapState, observations: readonly Observation[]): { state: BootstrapState; decision: BootstrapDecision } {
  const addresses = { ...state.addresses };
  for (const seen of observations) {
    if (seen.kind !== 'unidentified' && seen.id !== state.selfId) addresses[seen.id] = seen.address;
  }
  const next: BootstrapState = { ...state, addresses };
  return state.lock === undefined ? unlocked(next, observations) : locked({ ...next, lock: state.lock }, observations);
}

function unlocked(state: BootstrapState, observations: readonly Observation[]): { state: BootstrapState; decision: BootstrapDecision } {
  const wait = (reason: string) => ({ state, decision: { kind: 'wait', reason } as const });
  const { selfId, expect } = state;
  // A peer's lock that names this node is adopted: locking on it is as safe as on any set.
  const locks = new Map<string, readonly string[]>();
  for (const seen of observations) {
    if (seen.kind === 'identified' && seen.lock && seen.lock.includes(selfId) && seen.lock.length === expect) locks.set(seen.lock.join(','), seen.lock);
  }
  if (locks.size > 1) return wait(`peers are locked on different member sets (${[...locks.keys()].map((key) => `{${key}}`).join(' ')})`);
  const adopted = [...locks.values()][0];
  if (adopted) return { state: { ...state, lock: adopted }, decision: { kind: 'lock', lock: adopted } };

  const unidentified = observations.filter((seen) => seen.kind === 'unidentified');
  if (unidentified.length > 0) {
    const first = unidentified[0]!;
    return wait(`${unidentified.length} address(es) not identified yet (${first.address.host}:${first.address.port}: ${first.reason})`);
  }
  const ids = new Map<string, string>([[selfId, `${state.self.host}:${state.self.port}`]]);
  for (const seen of observations) {
    if (seen.kind !== 'identified' || seen.id === selfId) continue;
    const at = `${seen.address.host}:${seen.address.port}`;
    const earlier = ids.get(seen.id);
    if (earlier !== undefined && earlier !== at) return wait(`node id "${seen.id}" answers at two addresses (${earlier}, ${at}): ids must be unique`);
    ids.set(seen.id, at);
  }
  const lockedElsewhere = observations.find((seen) => seen.kind === 'identified' && seen.lock && !seen.lock.includes(selfId));
  if (lockedElsewhere && lockedElsewhere.kind === 'identified') {
    return wait(`"${lockedElsewhere.id}" is bootstrapping a cluster without this node ({${lockedElsewhere.lock?.join(',')}})`);
  }
  if (ids.size < expect) return wait(`${ids.size} of ${expect} expected members found (${[...ids.keys()].sort().join(', ')})`);
  if (ids.size > expect) return wait(`${ids.size} members found but --bootstrap-expect is ${expect}: not forming (${[...ids.keys()].sort().join(', ')})`);
  const lock = [...ids.keys()].sort();
  return { state: { ...state, lock }, decision: { kind: 'lock', lock } };
}

function locked(state: BootstrapState & { lock: readonly string[] }, observations: readonly Observation[]): { state: BootstrapState; decision: BootstrapDecision } {
  const { lock, selfId } = state;
  const confirmed = new Set(state.confirmed);
  for (const seen of observations) {
    if (seen.kind === 'formed' && lock.includes(seen.id)) confirmed.add(seen.id);
    if (seen.kind === 'identified' && lock.includes(seen.id) && seen.lock && sameSet(seen.lock, lock)) confirmed.add(seen.id);
  }
  const next: BootstrapState = { ...state, confirmed: [...confirmed].sort() };
  const pending = lock.filter((id) => id !== selfId && !confirmed.has(id));
  if (pending.length > 0) {
    return { state: next, decision: { kind: 'wait', reason: `locked on {${lock.join(',')}}; waiting for ${pending.join(', ')} to lock on it too` } };
  }
  const missing = lock.filter((id) => state.addresses[id] === undefined);
  if (missing.length > 0) return { state: next, decision: { kind: 'wait', reason: `no address known for ${missing.join(', ')}` } };
  const members = lock.map((id) => ({ id, ...(id === selfId ? state.self : state.addresses[id]!) }));
  return { state: next, decision: { kind: 'form', members } };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}
