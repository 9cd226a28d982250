#!/usr/bin/env node
// Writes a synthetic build log of a given size: Maven-style [INFO]/[WARNING] lines, timestamped
// lines, JSON lines, Java stack traces, npm ERR! blocks and Python tracebacks, in proportions
// like a long CI log. Deterministic (seeded), streamed to disk.
//   node bench/elk-log-shipper/gen-log.mjs /tmp/elk-bench/build.log 1024   (MiB)
// With "pino" as the third argument it writes only pino JSON lines (numeric level, epoch
// milliseconds, msg), the input a pino log shipper takes, for the same-machine peer comparison.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [out = '/tmp/elk-bench/build.log', mib = '1024', kind = 'build'] = process.argv.slice(2);
const target = Number(mib) * 1024 * 1024;
mkdirSync(dirname(out), { recursive: true });
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const words = ['compiling', 'module', 'resolving', 'artifact', 'com.example', 'step-counter', 'leaderboard', 'weekly', 'report', 'cache', 'hit', 'miss', 'downloaded', 'bytes', 'from', 'nexus', 'test', 'passed', 'in', 'ms'];
const phrase = (n) => Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ');
let t = Date.parse('2024-05-01T10:00:00Z');
function pinoLine() {
  t += Math.floor(rnd() * 50);
  const r = rnd();
  const level = r < 0.85 ? 30 : r < 0.95 ? 40 : r < 0.99 ? 20 : 50;
  const line = { level, time: t, pid: 7, hostname: 'step-counter-7f9c', msg: phrase(5 + Math.floor(rnd() * 10)), reqId: Math.floor(rnd() * 1e12).toString(16) };
  if (level === 50) line.err = { type: 'Error', message: phrase(4), stack: `Error: ${phrase(4)}\n    at handler (/app/src/${phrase(1)}.js:12:9)\n    at process (/app/src/queue.js:40:3)` };
  return `${JSON.stringify(line)}\n`;
}
function block() {
  if (kind === 'pino') return pinoLine();
  const r = rnd();
  t += Math.floor(rnd() * 50);
  if (r < 0.55) return `[INFO] ${phrase(4 + Math.floor(rnd() * 10))}\n`;
  if (r < 0.75) return `${new Date(t).toISOString()} INFO  [main] c.e.s.${phrase(1)} - ${phrase(6 + Math.floor(rnd() * 8))}\n`;
  if (r < 0.85) return `${JSON.stringify({ '@timestamp': new Date(t).toISOString(), 'log.level': rnd() < 0.9 ? 'info' : 'warn', message: phrase(8), 'service.name': 'step-counter', trace: { id: Math.floor(rnd() * 1e12).toString(16) } })}\n`;
  if (r < 0.93) return `[WARNING] ${phrase(6)}\n`;
  if (r < 0.97) {
    let s = `java.lang.IllegalStateException: ${phrase(5)}\n`;
    const depth = 8 + Math.floor(rnd() * 20);
    for (let i = 0; i < depth; i++) s += `\tat com.example.stepcounter.${phrase(1).replace(/\W/g, '')}.Handler${i}.run(Handler${i}.java:${10 + i})\n`;
    return `${s}Caused by: java.io.IOException: ${phrase(3)}\n\t... ${depth} more\n`;
  }
  if (r < 0.985) return `npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://nexus.example.com/repository/npm/${phrase(1)}\nnpm ERR! 404\n`;
  return `Traceback (most recent call last):\n  File "/app/run.py", line 12, in <module>\n    main()\n  File "/app/run.py", line 8, in main\n    raise ValueError("${phrase(3)}")\nValueError: ${phrase(3)}\n`;
}
const ws = createWriteStream(out);
let written = 0;
let lines = 0;
while (written < target) {
  let chunk = '';
  while (chunk.length < 1 << 20) chunk += block();
  written += Buffer.byteLength(chunk);
  lines += chunk.split('\n').length - 1;
  if (!ws.write(chunk)) await new Promise((r) => ws.once('drain', r));
}
ws.end();
await new Promise((r) => ws.once('finish', r));
console.log(JSON.stringify({ file: out, bytes: written, lines }));
