/**
 * `node dist/src/bench/main.js [part…]`: runs the benchmark parts (all by
 * default) and rewrites their results in docs/BENCHMARKS.md.
 */
import { fileURLToPath } from 'node:url';
import type { PartName, PartResult } from './common.js';
import { FANOUT_BIN, PART_NAMES, activeCleanups, log, now } from './common.js';
import { runDashboardCpu } from './dashboard-cpu.js';
import { runDomains } from './domains.js';
import { runEscalation } from './escalate.js';
import { runConflicts } from './predict-conflicts.js';
import { runLatency } from './latency.js';
import { describeMachine, machineLine } from './machine.js';
import { runMemory } from './memory.js';
import { TITLES, writeReport } from './report.js';
import { runStatus } from './status.js';
import { runThroughput } from './throughput.js';
import fs from 'node:fs';

const RUNNERS: Record<PartName, () => Promise<PartResult>> = {
  throughput: runThroughput,
  'dashboard-cpu': runDashboardCpu,
  latency: runLatency,
  memory: runMemory,
  status: runStatus,
  domains: runDomains,
  escalation: runEscalation,
  conflicts: runConflicts,
};

const ALIASES: Record<string, PartName> = { a: 'throughput', b: 'dashboard-cpu', dashboard: 'dashboard-cpu', cpu: 'dashboard-cpu', c: 'latency', d: 'memory', e: 'status', f: 'domains', g: 'escalation', h: 'conflicts' };

/** docs/BENCHMARKS.md at the package root (this file is dist/src/bench/main.js). */
const REPORT = fileURLToPath(new URL('../../../docs/BENCHMARKS.md', import.meta.url));

function parseArgs(argv: string[]): PartName[] {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`usage: node dist/src/bench/main.js [part…]\nparts: ${PART_NAMES.join(' ')} (or a b c d e f g h)\n`);
    process.exit(0);
  }
  const parts = argv.map((a) => {
    const p = (PART_NAMES as readonly string[]).includes(a) ? (a as PartName) : ALIASES[a];
    if (!p) {
      process.stderr.write(`bench: unknown part "${a}"; parts are ${PART_NAMES.join(', ')}\n`);
      process.exit(2);
    }
    return p;
  });
  return parts.length > 0 ? PART_NAMES.filter((p) => parts.includes(p)) : [...PART_NAMES];
}

async function main(): Promise<number> {
  const parts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(FANOUT_BIN)) {
    process.stderr.write(`bench: ${FANOUT_BIN} is missing; run \`npm run build\` first\n`);
    return 2;
  }
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: cleaning up`);
    void Promise.all([...activeCleanups].map((c) => c.run())).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const machine = describeMachine();
  log(machineLine(machine));
  const results: PartResult[] = [];
  const t0 = now();
  for (const part of parts) {
    log(`${part}…`);
    const started = now();
    try {
      results.push(await RUNNERS[part]());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`${part} failed: ${err instanceof Error ? err.stack : message}`);
      results.push({ part, title: titleOf(part), skipped: `failed: ${message.split('\n')[0]}`, tables: [], notes: [], misses: [], seconds: (now() - started) / 1000 });
    }
  }
  writeReport(REPORT, results, machine);

  for (const r of results) {
    process.stdout.write(`\n== ${r.title} (${r.seconds.toFixed(0)} s)\n`);
    if (r.skipped) process.stdout.write(`skipped: ${r.skipped}\n`);
    for (const t of r.tables) {
      if (t.caption) process.stdout.write(`${t.caption}\n`);
      process.stdout.write(`${t.headers.join(' | ')}\n`);
      for (const row of t.rows) process.stdout.write(`${row.join(' | ').replace(/\*\*/g, '')}\n`);
    }
    for (const m of r.misses) process.stdout.write(`MISS: ${m}\n`);
  }
  process.stdout.write(`\nwrote ${REPORT} in ${((now() - t0) / 1000).toFixed(0)} s\n`);
  return 0;
}

function titleOf(part: PartName): string {
  return TITLES[part];
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
