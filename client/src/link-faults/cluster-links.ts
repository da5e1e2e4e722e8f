/**
 * A cluster's directed links and what the test set on each: the faults it asked for through
 * `cluster.link(from, to)`, plus the cuts of a partition made with link faults on (containers),
 * kept apart so that healing the partition leaves the test's own faults in place.
 */
import type { PeerAddress } from '../node-options.js';
import { nodeIdOf } from '../cluster-runtime.js';
import type { LinkFaultSpec } from './link-fault-spec.js';
import type { LinkState } from './link-proxies.js';
import type { LinkPlane } from './link-plane.js';

export class ClusterLinks {
  private readonly asked = new Map<string, LinkFaultSpec>();
  private readonly partitionCuts = new Set<string>();

  constructor(
    private readonly plane: LinkPlane,
    /** Node `number`'s `--peers`: every other node through its link proxy. */
    readonly peersOf: (number: number) => PeerAddress[],
  ) {}

  faultsOf(from: number, to: number): LinkFaultSpec {
    return { ...this.asked.get(key(from, to)) };
  }

  /** Replaces the faults the test set on `from` → `to`. */
  async setFaults(from: number, to: number, spec: LinkFaultSpec): Promise<void> {
    this.asked.set(key(from, to), { ...spec });
    await this.push(from, to);
  }

  async reset(from: number, to: number): Promise<number> {
    return this.plane.reset(nodeIdOf(from), nodeIdOf(to));
  }

  /** Every fault the test set off; a partition's cuts stay until the partition heals. */
  async healAll(): Promise<void> {
    const links = [...this.asked.keys()];
    this.asked.clear();
    await Promise.all(links.map((link) => this.push(...parse(link))));
  }

  /** Cuts both directions between every node of `sideA` and every node of `sideB`. */
  async partition(sideA: readonly number[], sideB: readonly number[]): Promise<void> {
    for (const a of sideA) for (const b of sideB) this.partitionCuts.add(key(a, b)).add(key(b, a));
    await Promise.all([...this.partitionCuts].map((link) => this.push(...parse(link))));
  }

  async healPartition(): Promise<void> {
    const links = [...this.partitionCuts];
    this.partitionCuts.clear();
    await Promise.all(links.map((link) => this.push(...parse(link))));
  }

  states(): Promise<LinkState[]> {
    return this.plane.states();
  }

  stop(): Promise<void> {
    return this.plane.stop();
  }

  private push(from: number, to: number): Promise<void> {
    const spec = this.faultsOf(from, to);
    if (this.partitionCuts.has(key(from, to))) spec.cut = true;
    return this.plane.setFaults(nodeIdOf(from), nodeIdOf(to), spec);
  }
}

function key(from: number, to: number): string {
  return `${from}>${to}`;
}

function parse(link: string): [number, number] {
  const [from, to] = link.split('>').map(Number);
  return [from!, to!];
}

/** Every ordered pair of distinct nodes: the links of a cluster of `size`. */
export function directedPairs(size: number): [number, number][] {
  const numbers = Array.from({ length: size }, (_, index) => index + 1);
  return numbers.flatMap((from) => numbers.filter((to) => to !== from).map((to): [number, number] => [from, to]));
}
