/**
 * `npm run bench:pg-drivers`: the two maintained PostgreSQL drivers, `pg` (node-postgres) and
 * `postgres` (porsager), on replimq's shared-db write path — the fenced one-statement group
 * commit (server/src/storage/postgres/postgres-storage.ts) of N upserted 200-byte records, one
 * commit in flight at a time as the pipelined group commit sends them — against a PostgreSQL of
 * its own from this machine's binaries (or `--url`). The drivers take turns round by round, so
 * background load falls on both alike; each figure is the median over rounds of the mean time
 * per commit. docs/DESIGN.md records the choice these figures support.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import postgres from 'postgres';
import { LocalPostgres } from 'replimq-testkit';
import { MIGRATIONS } from '../../server/dist/storage/postgres/migrations.js';
import { WRITE_GROUP } from '../../server/dist/storage/postgres/postgres-storage.js';

/** Records per group, and how many commits one round times. */
const SIZES = [
  { records: 1, commits: 300 },
  { records: 10, commits: 300 },
  { records: 100, commits: 100 },
  { records: 1000, commits: 20 },
];
const HOLDER = 'bench';
const EPOCH = '1';

type Commit = (values: unknown[]) => Promise<void>;

interface Driver {
  name: string;
  commit: Commit;
  close(): Promise<void>;
}

async function nodePostgres(url: string): Promise<Driver> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    name: 'pg',
    commit: async (values) => {
      const result = await client.query({ text: WRITE_GROUP, values });
      if (result.rows[0]?.fenced !== 1) throw new Error('the fence did not match');
    },
    close: () => client.end(),
  };
}

async function porsager(url: string): Promise<Driver> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  return {
    name: 'postgres',
    commit: async (values) => {
      const rows = await sql.unsafe(WRITE_GROUP, values as never[]);
      if (rows[0]?.['fenced'] !== 1) throw new Error('the fence did not match');
    },
    close: () => sql.end(),
  };
}

/** The values of one group: N upserts of 200-byte records, no deletes, the command index. */
function groupValues(records: number, round: number, commit: number): unknown[] {
  const keys = Array.from({ length: records }, (_, index) => `m/us-east-1:000000000000:bench/${round}-${commit}-${index}`);
  const values = keys.map(() => randomBytes(100).toString('hex'));
  return [HOLDER, EPOCH, [], keys, values, ['commandIndex'], [String(commit)]];
}

async function timeRound(driver: Driver, records: number, commits: number, round: number): Promise<number> {
  const groups = Array.from({ length: commits }, (_, commit) => groupValues(records, round, commit));
  const started = performance.now();
  for (const values of groups) await driver.commit(values);
  return (performance.now() - started) / commits;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const urlFlag = argv.indexOf('--url');
  const roundsFlag = argv.indexOf('--rounds');
  const rounds = roundsFlag >= 0 ? Number(argv[roundsFlag + 1]) : 5;
  const server = urlFlag >= 0 ? undefined : await LocalPostgres.start();
  const url = urlFlag >= 0 ? argv[urlFlag + 1]! : server!.createDatabase(`bench_drivers_${randomBytes(4).toString('hex')}`);
  try {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    for (const migration of MIGRATIONS) await setup.query(migration.sql);
    await setup.query('UPDATE replimq_lease SET holder = $1, epoch = $2 WHERE id = 1', [HOLDER, EPOCH]);
    const version = (await setup.query('SHOW server_version')).rows[0]?.server_version;
    const fsync = (await setup.query('SHOW fsync')).rows[0]?.fsync;
    await setup.end();
    console.log(`PostgreSQL ${version} (fsync ${fsync}), ${rounds} rounds per size, drivers alternating`);
    const drivers = [await nodePostgres(url), await porsager(url)];
    try {
      for (const { records, commits } of SIZES) {
        const times = new Map(drivers.map((driver) => [driver.name, [] as number[]]));
        // A warm-up round each: connection set-up and JIT are not the write path.
        for (const driver of drivers) await timeRound(driver, records, Math.min(commits, 20), -1);
        for (let round = 0; round < rounds; round++) {
          for (const driver of round % 2 ? [...drivers].reverse() : drivers) times.get(driver.name)!.push(await timeRound(driver, records, commits, round));
        }
        const line = drivers.map((driver) => `${driver.name} ${median(times.get(driver.name)!).toFixed(2)} ms`).join(', ');
        console.log(`N=${records}: ${line} per commit`);
        console.log(JSON.stringify({ records, commits, rounds, ...Object.fromEntries(drivers.map((driver) => [`${driver.name}Ms`, Number(median(times.get(driver.name)!).toFixed(3))])) }));
      }
    } finally {
      await Promise.all(drivers.map((driver) => driver.close()));
    }
  } finally {
    await server?.stop();
  }
}

await main();
