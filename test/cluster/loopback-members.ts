import type { Member } from '../../server/src/cluster/transport.js';
import { freePort } from './free-port.js';

/** Members on 127.0.0.1, each on a port of its own, for transports started in one test. */
export async function loopbackMembers(...ids: string[]): Promise<Member[]> {
  return Promise.all(ids.map(async (id) => ({ id, address: `127.0.0.1:${await freePort()}` })));
}
