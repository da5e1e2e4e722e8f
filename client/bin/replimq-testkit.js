#!/usr/bin/env node
// The `replimq-testkit` command (`replimq-testkit experiment --help`). The code lives in dist/.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
