#!/usr/bin/env node
// The `fanout` binary: hands the real process streams to the program.
import { main } from './program.js';

const serverRun = process.argv[2] === 'server' && process.argv[3] === 'run';
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
// `server run` keeps serving after main() returns; everything else exits with its code.
if (!serverRun || code !== 0) process.exitCode = code;
if (serverRun && code !== 0) process.exit(code);
