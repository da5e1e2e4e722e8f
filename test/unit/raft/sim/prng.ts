/** The simulation's only source of chance, so a seed replays: the server's seeded PRNG (mulberry32). */
export { SeededRandom as Prng } from '../../../../server/src/service/seeded-random.js';
