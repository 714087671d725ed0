/**
 * What the benchmarked programs print: realistic coding-agent terminal
 * output (log lines with SGR colours, diffs, test results, the odd long
 * line that wraps, some UTF-8), generated deterministically so every run
 * and every baseline sees the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rng } from './common.js';

const WORDS = (
  'the agent reads src/server/agent-host.ts and updates the emulator so that frames coalesce ' +
  'function const return await import export interface type string number boolean promise ' +
  'test passes fails expected received snapshot diff worktree branch commit merge rebase'
).split(' ');
const FILES = ['src/server/server.ts', 'src/ui/run.tsx', 'test/e2e/spawn.test.ts', 'src/core/screen.ts', 'README.md', 'package.json'];

const ESC = '\x1b[';
const R = `${ESC}0m`;

/** One line of output, without the newline. Lengths vary from ~10 to ~260 columns. */
function line(rand: () => number, n: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const words = (k: number) => Array.from({ length: k }, () => pick(WORDS)).join(' ');
  const time = `${ESC}2m${String(10 + (n % 14)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:${String((n * 7) % 60).padStart(2, '0')}${R}`;
  const r = rand();
  if (r < 0.25) return `${time} ${ESC}32m✓${R} ${ESC}1m${pick(FILES)}${R} ${words(3 + Math.floor(rand() * 6))} ${ESC}2m(${Math.floor(rand() * 900)}ms)${R}`;
  if (r < 0.35) return `${time} ${ESC}31m✗${R} ${ESC}1;31m${pick(FILES)}${R} ${ESC}31m${words(4 + Math.floor(rand() * 8))}${R}`;
  if (r < 0.5) return `${ESC}32m+ ${words(2 + Math.floor(rand() * 10))}${R}`;
  if (r < 0.6) return `${ESC}31m- ${words(2 + Math.floor(rand() * 10))}${R}`;
  if (r < 0.7) return `${ESC}38;5;${16 + Math.floor(rand() * 216)}m│${R} ${words(5 + Math.floor(rand() * 10))} ${ESC}38;2;255;175;0m${pick(WORDS)}${R}`;
  if (r < 0.75) return `${ESC}1;33mwarning${R}: ${words(20 + Math.floor(rand() * 25))}`; // wraps at 120 columns
  if (r < 0.8) return `${ESC}36m⠋${R} ${ESC}1mThinking…${R} ${ESC}2m${words(3)}${R}`;
  return `${time} ${words(3 + Math.floor(rand() * 14))}`;
}

/** About `bytes` bytes of output lines, ending in a newline. */
export function outputBlock(bytes: number, seed = 1): string {
  const rand = rng(seed);
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const l = `${line(rand, n)}\n`;
    parts.push(l);
    size += Buffer.byteLength(l);
  }
  return parts.join('');
}

/**
 * Writes a file of `bytes` bytes of output (a 4 MB block repeated) and
 * returns its path. The programs under test just `cat` it, so the producer
 * costs next to nothing and the benchmark measures the consumer.
 */
export function writeOutputFile(dir: string, bytes: number): string {
  const block = Buffer.from(outputBlock(Math.min(bytes, 4 * 1024 * 1024)));
  const file = path.join(dir, `output-${bytes}.txt`);
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    while (written < bytes) {
      const n = Math.min(block.length, bytes - written);
      fs.writeSync(fd, block, 0, n);
      written += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Writes `lines` numbered lines then `marker`; for the memory part. */
export function writeLinesFile(dir: string, lines: number, marker: string): string {
  const rand = rng(7);
  const parts: string[] = [];
  for (let n = 0; n < lines; n++) parts.push(`${String(n).padStart(6, '0')} ${line(rand, n)}\n`);
  parts.push(`${marker}\n`);
  const file = path.join(dir, `lines-${lines}.txt`);
  fs.writeFileSync(file, parts.join(''));
  return file;
}

/**
 * A node script that streams output at a steady rate: `node stream.js
 * <bytesPerSecond> <seconds>` writes a slice every 50 ms, then exits.
 */
export function writeStreamer(dir: string): string {
  const file = path.join(dir, 'stream.cjs');
  const block = JSON.stringify(outputBlock(2 * 1024 * 1024, 3));
  fs.writeFileSync(
    file,
    `const block = ${block};
const rate = Number(process.argv[2]); const seconds = Number(process.argv[3]);
const tick = 50; const per = Math.round(rate * tick / 1000);
const start = Date.now(); let offset = Math.floor(Math.random() * block.length); let n = 0;
function step() {
  if (Date.now() - start >= seconds * 1000) process.exit(0);
  let out = block.slice(offset, offset + per); offset += per;
  if (offset >= block.length) { offset = per - out.length; out += block.slice(0, offset); }
  process.stdout.write(out);
  n++; setTimeout(step, Math.max(0, start + n * tick - Date.now()));
}
step();
`,
  );
  return file;
}
