#!/usr/bin/env node
// npm run bench -- step-counter [options]: the summary endpoint baseline (summary.mjs).
import { spawnSync } from 'node:child_process';

const script = new URL('summary.mjs', import.meta.url).pathname;
process.exit(spawnSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 1);
