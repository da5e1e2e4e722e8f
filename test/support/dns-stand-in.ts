/**
 * A tiny authoritative DNS server over UDP (node:dgram) for tests of `--discover`: real DNS
 * messages (RFC 1035 header, question, A and SRV answers, RFC 2782), records that a test changes
 * while nodes resolve them, TTL 0 so no resolver caches. Names it does not know: NXDOMAIN; a
 * known name without records of the asked type: an empty NOERROR answer.
 */
import { createSocket, type Socket } from 'node:dgram';

const TYPE_A = 1;
const TYPE_SRV = 33;
const CLASS_IN = 1;

export interface SrvRecord {
  target: string;
  port: number;
}

export class DnsStandIn {
  private readonly socket: Socket = createSocket('udp4');
  private readonly a = new Map<string, string[]>();
  private readonly srv = new Map<string, SrvRecord[]>();
  port = 0;

  async start(): Promise<void> {
    this.socket.on('message', (message, remote) => {
      const answer = this.answer(message);
      if (answer) this.socket.send(answer, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    this.port = this.socket.address().port;
  }

  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  setA(name: string, addresses: string[]): void {
    this.a.set(name.toLowerCase(), addresses);
  }

  setSrv(name: string, records: SrvRecord[]): void {
    this.srv.set(name.toLowerCase(), records);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | undefined {
    if (query.length < 12) return undefined;
    const question = readName(query, 12);
    if (!question) return undefined;
    const type = query.readUInt16BE(question.end);
    const questionBytes = query.subarray(12, question.end + 4);
    const name = question.name.toLowerCase();
    const known = this.a.has(name) || this.srv.has(name);
    const answers: Buffer[] = [];
    if (type === TYPE_A) for (const address of this.a.get(name) ?? []) answers.push(record(TYPE_A, Buffer.from(address.split('.').map(Number))));
    if (type === TYPE_SRV) {
      for (const { target, port } of this.srv.get(name) ?? []) {
        const fixed = Buffer.alloc(6);
        fixed.writeUInt16BE(0, 0);
        fixed.writeUInt16BE(10, 2);
        fixed.writeUInt16BE(port, 4);
        answers.push(record(TYPE_SRV, Buffer.concat([fixed, encodeName(target)])));
      }
    }
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    // QR, opcode 0, AA, RD copied, RA; RCODE 3 (NXDOMAIN) for a name this server does not know.
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, questionBytes, ...answers]);
  }
}

/** An answer for the question's name (a pointer to offset 12), TTL 0. */
function record(type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(CLASS_IN, 4);
  fixed.writeUInt32BE(0, 6);
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  return Buffer.concat([...labels, Buffer.from([0])]);
}

function readName(message: Buffer, offset: number): { name: string; end: number } | undefined {
  const labels: string[] = [];
  let at = offset;
  while (at < message.length) {
    const length = message[at]!;
    if (length === 0) return at + 5 <= message.length ? { name: labels.join('.'), end: at + 1 } : undefined;
    if (length > 63) return undefined;
    labels.push(message.toString('ascii', at + 1, at + 1 + length));
    at += 1 + length;
  }
  return undefined;
}
