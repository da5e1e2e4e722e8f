#!/usr/bin/env node
// The `replimq` command. The code lives in dist/ (built by `npm run build`).
import { main } from '../dist/main.js';

await main(process.argv.slice(2), process.env);
