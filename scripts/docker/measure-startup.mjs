#!/usr/bin/env node
// Time to a ready replimq node and to a ready 3-node cluster, in containers and as processes, as
// the testkit sees it: from start() until start() resolved (node healthy; cluster: a leader
// elected and followed by all), and the time stop() takes. A measurement, not a test.
//
// Prerequisites: `npm run build`; for containers, scripts/docker/ensure-engine.sh and
// scripts/docker/build-image.sh. Usage: node scripts/docker/measure-startup.mjs [rounds=3]
import { ReplimqCluster, ReplimqContainer, ReplimqProcess, probeDocker } from '../../client/dist/index.js';

const rounds = Number(process.argv[2] ?? 3);

async function timed(start) {
  const startedAt = performance.now();
  const running = await start();
  const readyMs = performance.now() - startedAt;
  const stoppingAt = performance.now();
  await running.stop();
  return { readyMs, stopMs: performance.now() - stoppingAt };
}

const subjects = [
  ['process: single node', () => new ReplimqProcess().start()],
  ['process: 3-node cluster', () => new ReplimqCluster(3).withRuntime('process').start()],
];
const docker = await probeDocker();
if (docker.reachable) {
  subjects.push(
    ['container: single node', () => new ReplimqContainer().start()],
    ['container: 3-node cluster', () => new ReplimqCluster(3).withRuntime('container').start()],
  );
} else {
  console.log(`containers not measured: ${docker.detail}`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`subject                       ready median (min-max) ms      stop median ms   (${rounds} rounds)`);
for (const [name, start] of subjects) {
  const runs = [];
  for (let round = 0; round < rounds; round += 1) runs.push(await timed(start));
  const ready = runs.map((run) => run.readyMs);
  const stop = runs.map((run) => run.stopMs);
  console.log(
    `${name.padEnd(30)}${`${median(ready).toFixed(0)} (${Math.min(...ready).toFixed(0)}-${Math.max(...ready).toFixed(0)})`.padEnd(31)}${median(stop).toFixed(0)}`,
  );
}
