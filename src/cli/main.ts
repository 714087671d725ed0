#!/usr/bin/env node
// The `fanout` binary: hands the real process streams to the program.
const args = process.argv.slice(2);
// `fanout capture x | head` closes the pipe early: the reader is done, which is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
if (args[0] === 'hook') {
  // Hooks run on every harness event: skip loading the whole CLI.
  const { runHook } = await import('./hook.js');
  process.exitCode = await runHook(args.slice(1), { stdin: process.stdin, env: process.env });
} else {
  await runCli();
}

async function runCli(): Promise<void> {
  const { main } = await import('./program.js');
  const serverRun = process.argv[2] === 'server' && process.argv[3] === 'run';
  const code = await main(args, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
  // `server run` keeps serving after main() returns; everything else exits with its code.
  if (!serverRun || code !== 0) process.exitCode = code;
  if (serverRun && code !== 0) process.exit(code);
}
