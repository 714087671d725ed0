/**
 * `fanout doctor`: for each harness, is it installed (binary on PATH and its
 * version), is it hooked (project and user config), and what would make the
 * status fanout shows for it wrong; plus fanout's own prerequisites. It
 * only reads: no file is changed and no server is contacted.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { HarnessName } from '../../core/agent.js';
import { HARNESSES } from '../../core/agent.js';
import { isHookedHarness } from './command.js';
import { INSTALLERS } from './index.js';
import type { ScopeReport } from './installer.js';
import { isHooked } from './installer.js';
import type { InstallContext } from './types.js';

export const MIN_NODE = [20, 19] as const;

export interface Check {
  name: 'node' | 'git' | 'runtime-dir';
  ok: boolean;
  detail: string;
}

export interface HarnessDoctor {
  harness: HarnessName;
  /** False for aider and shell: fanout reads their screen only. */
  hookSystem: boolean;
  installed: boolean;
  binary: string | null;
  version: string | null;
  hooked: boolean;
  scopes: ScopeReport[];
  problems: string[];
  notes: string[];
}

export interface DoctorReport {
  fanoutVersion: string;
  repoRoot: string;
  checks: Check[];
  harnesses: HarnessDoctor[];
  /** Failed checks plus every harness problem. */
  problemCount: number;
}

export interface DoctorInput extends InstallContext {
  fanoutVersion: string;
  runtimeDir: string;
  /** How long `<harness> --version` may take. */
  versionTimeoutMs?: number;
}

/** Harnesses with hooks first, then the ones fanout can only watch. */
const ORDER: HarnessName[] = [...HARNESSES.filter(isHookedHarness), ...HARNESSES.filter((h) => !isHookedHarness(h))];

const BINARIES: Record<HarnessName, string> = { shell: 'sh', claude: 'claude', codex: 'codex', gemini: 'gemini', opencode: 'opencode', aider: 'aider' };

/** The first executable named `name` on PATH, like `command -v`. */
export function findOnPath(name: string, envPath: string | undefined): string | null {
  if (name.includes('/')) return isExecutable(name) ? name : null;
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs `<binary> --version`; null on any failure or timeout. */
export function probeVersion(binary: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile(binary, ['--version'], { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
        const text = `${stdout ?? ''}\n${stderr ?? ''}`;
        const line = text.split('\n').map((l) => l.trim()).find(Boolean);
        if (!line || (err && !stdout)) return resolve(null);
        const semver = /\d+\.\d+(?:\.\d+)?(?:[-+][\w.-]+)?/.exec(line);
        resolve(semver ? semver[0] : line.slice(0, 60));
      }).stdin?.end();
    } catch {
      resolve(null);
    }
  });
}

function nodeCheck(): Check {
  const version = process.versions.node;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  const need = `${MIN_NODE[0]}.${MIN_NODE[1]}`;
  return { name: 'node', ok, detail: ok ? `node ${version} (${process.execPath})` : `node ${version} is older than ${need}; fanout needs node ≥ ${need}` };
}

async function gitCheck(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Check> {
  const git = findOnPath('git', env.PATH);
  const version = git ? await probeVersion(git, env, timeoutMs) : null;
  if (!git || !version) return { name: 'git', ok: false, detail: 'git not found on PATH; fanout needs git for repositories, worktrees and file attribution' };
  return { name: 'git', ok: true, detail: `git ${version} (${git})` };
}

function runtimeDirCheck(dir: string): Check {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return { name: 'runtime-dir', ok: true, detail: `runtime dir ${dir} does not exist yet; the server creates it private (0700)` };
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (!st.isDirectory()) return { name: 'runtime-dir', ok: false, detail: `runtime dir ${dir} is not a directory; remove it or set FANOUT_RUNTIME_DIR` };
  if (st.uid !== uid) return { name: 'runtime-dir', ok: false, detail: `runtime dir ${dir} belongs to another user; remove it or set FANOUT_RUNTIME_DIR to a private directory` };
  const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
  if ((st.mode & 0o077) !== 0) return { name: 'runtime-dir', ok: false, detail: `runtime dir ${dir} is open to others (mode ${mode}); \`chmod 700 ${dir}\` (the server also fixes it when it starts)` };
  return { name: 'runtime-dir', ok: true, detail: `runtime dir ${dir} is private (mode ${mode})` };
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const timeout = input.versionTimeoutMs ?? 5000;
  const ctx: InstallContext = { env: input.env, repoRoot: input.repoRoot };
  const harnesses = await Promise.all(
    ORDER.map(async (harness): Promise<HarnessDoctor> => {
      const name = harness === 'shell' ? input.env.SHELL || BINARIES.shell : BINARIES[harness];
      const binary = findOnPath(name, input.env.PATH);
      const version = binary && harness !== 'shell' ? await probeVersion(binary, input.env, timeout) : null;
      const base = { harness, installed: binary !== null, binary, version };
      if (!isHookedHarness(harness)) {
        return { ...base, hookSystem: false, hooked: false, scopes: [], problems: [], notes: [harness === 'aider' ? 'no hook system: fanout reads its screen' : 'no hook system: status comes from output activity and the process'] };
      }
      const report = INSTALLERS[harness].inspect(ctx);
      const hooked = isHooked(report);
      const notes = [...report.notes];
      if (binary && !hooked) notes.push(`not hooked: fanout reads its screen only; \`fanout setup ${harness}\` gives exact status`);
      if (binary && version === null) notes.push(`\`${binary} --version\` gave no answer within ${timeout / 1000}s`);
      return { ...base, hookSystem: true, hooked, scopes: report.scopes, problems: report.problems, notes };
    }),
  );
  const checks = [nodeCheck(), await gitCheck(input.env, timeout), runtimeDirCheck(input.runtimeDir)];
  const problemCount = checks.filter((c) => !c.ok).length + harnesses.reduce((n, h) => n + h.problems.length, 0);
  return { fanoutVersion: input.fanoutVersion, repoRoot: input.repoRoot, checks, harnesses, problemCount };
}

const STATE_WORDS: Record<ScopeReport['state'], string> = {
  hooked: 'hooked',
  partial: 'partial',
  outdated: 'outdated',
  'not-hooked': 'not hooked',
  'no-file': 'no file',
  unreadable: 'unreadable',
};

/** The human form: one block per harness, problems and notes indented under it. */
export function formatDoctor(r: DoctorReport): string {
  const out: string[] = [`fanout ${r.fanoutVersion} in ${r.repoRoot}`];
  for (const c of r.checks) out.push(`  ${c.ok ? 'ok     ' : 'problem'}  ${c.detail}`);
  for (const h of r.harnesses) {
    const where = h.installed ? `installed${h.version ? ` ${h.version}` : ''} (${h.binary})` : 'not installed';
    out.push(`${h.harness.padEnd(9)}${where}`);
    for (const s of h.scopes) out.push(`  ${STATE_WORDS[s.state].padEnd(11)}${s.scope.padEnd(8)} ${s.file}${s.missing.length ? ` (missing: ${s.missing.join(', ')})` : ''}`);
    for (const p of h.problems) out.push(`  problem    ${p}`);
    for (const n of h.notes) out.push(`  note       ${n}`);
  }
  out.push(r.problemCount === 0 ? 'no problems found' : `${r.problemCount} problem${r.problemCount === 1 ? '' : 's'} found`);
  return `${out.join('\n')}\n`;
}
