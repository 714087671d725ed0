/** `fanout doctor` over real files, with fake harness binaries on PATH. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { runDoctor } from '../../src/harness/install/doctor.js';
import type { DoctorReport, HarnessDoctor } from '../../src/harness/install/doctor.js';
import { runSetup } from '../../src/harness/install/index.js';
import type { InstallContext, Scope } from '../../src/harness/install/types.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo, makeTempDir, removeDir } from '../helpers/repo.js';

let repo: TempRepo;
let home: string;
let bin: string;
let runtimeDir: string;
let ctx: InstallContext;

function fakeBinary(name: string, script: string): void {
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(file, 0o755);
}

beforeEach(() => {
  repo = makeRepo();
  home = makeTempDir('fanout-home-');
  bin = path.join(home, 'bin');
  fs.mkdirSync(bin);
  runtimeDir = path.join(home, 'run');
  ctx = { env: { HOME: home, PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, SHELL: '/bin/sh' }, repoRoot: repo.dir };
});
afterEach(() => {
  repo.cleanup();
  removeDir(home);
});

const setup = (harness: string, scope: Scope = 'project') => runSetup(harness, ctx, { scope, remove: false, dryRun: false });
const doctor = () => runDoctor({ ...ctx, runtimeDir, fanoutVersion: '9.9.9', versionTimeoutMs: 1500 });
const harness = (r: DoctorReport, name: string) => r.harnesses.find((h) => h.harness === name) as HarnessDoctor;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

describe('fanout doctor', () => {
  it('has a stable JSON shape', async () => {
    const r = await doctor();
    expect(Object.keys(r)).toEqual(['fanoutVersion', 'repoRoot', 'checks', 'harnesses', 'problemCount']);
    expect(r.fanoutVersion).toBe('9.9.9');
    expect(r.repoRoot).toBe(repo.dir);
    expect(r.checks.map((c) => c.name)).toEqual(['node', 'git', 'runtime-dir']);
    expect(r.checks.every((c) => c.ok)).toBe(true);
    expect(r.harnesses.map((h) => h.harness)).toEqual(['claude', 'codex', 'gemini', 'opencode', 'shell', 'aider']);
    for (const h of r.harnesses) {
      expect(Object.keys(h).sort()).toEqual(['binary', 'harness', 'hookSystem', 'hooked', 'installed', 'notes', 'problems', 'scopes', 'version']);
    }
    expect(harness(r, 'claude').scopes.map((s) => [s.scope, s.state])).toEqual([
      ['project', 'no-file'],
      ['user', 'no-file'],
    ]);
    expect(harness(r, 'aider')).toMatchObject({ hookSystem: false, installed: false, hooked: false, scopes: [] });
    expect(r.problemCount).toBe(0);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('finds installed harnesses and their versions, tolerating one that hangs', async () => {
    fakeBinary('claude', 'echo "2.1.197 (Claude Code)"');
    fakeBinary('codex', 'echo "codex-cli 0.171.0"');
    fakeBinary('gemini', 'sleep 10');
    fakeBinary('aider', 'exit 3');
    const started = Date.now();
    const r = await doctor();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(harness(r, 'claude')).toMatchObject({ installed: true, binary: path.join(bin, 'claude'), version: '2.1.197' });
    expect(harness(r, 'codex')).toMatchObject({ installed: true, version: '0.171.0' });
    expect(harness(r, 'gemini')).toMatchObject({ installed: true, version: null });
    expect(harness(r, 'gemini').notes.join(' ')).toContain('--version` gave no answer');
    expect(harness(r, 'aider')).toMatchObject({ installed: true, version: null });
    expect(harness(r, 'opencode').installed).toBe(false);
    expect(harness(r, 'claude').notes.join(' ')).toContain('not hooked');
  });

  it('reports hooked scopes, old commands and unreadable settings', async () => {
    setup('claude');
    write(path.join(home, '.claude', 'settings.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'fanout hook claude Stop' }] }] }, disableAllHooks: true }));
    write(path.join(repo.dir, '.gemini', 'settings.json'), '{ "hooks": ');
    const r = await doctor();
    const claude = harness(r, 'claude');
    expect(claude.hooked).toBe(true);
    expect(claude.scopes.map((s) => [s.scope, s.state])).toEqual([
      ['project', 'hooked'],
      ['user', 'outdated'],
    ]);
    expect(claude.problems.join('\n')).toContain('are not what this fanout installs (an old or other command); run `fanout setup claude --user`');
    expect(claude.problems.join('\n')).toContain('"disableAllHooks": true');
    const gemini = harness(r, 'gemini');
    expect(gemini.scopes[0]).toMatchObject({ scope: 'project', state: 'unreadable' });
    expect(gemini.problems[0]).toContain('settings.json is not valid JSON');
    expect(r.problemCount).toBe(3);
  });

  it('flags untrusted Codex hooks and an untrusted project, and accepts them once Codex recorded trust', async () => {
    setup('codex');
    setup('codex', 'user');
    let codex = harness(await doctor(), 'codex');
    const hooksUser = path.join(home, '.codex', 'hooks.json');
    const hooksProject = path.join(repo.dir, '.codex', 'hooks.json');
    expect(codex.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${hooksProject}: Codex has no trust record for 6 of fanout's 6 hooks`),
        expect.stringContaining(`${hooksUser}: Codex has no trust record for 6 of fanout's 6 hooks`),
        expect.stringContaining(`${repo.dir} is not marked trusted`),
      ]),
    );
    expect(codex.notes.join(' ')).toContain('every event reaches fanout twice');

    // What Codex writes once the user trusts the hooks in /hooks and trusts the folder.
    const events = ['session_start', 'user_prompt_submit', 'pre_tool_use', 'permission_request', 'post_tool_use', 'stop'];
    const records = [hooksProject, hooksUser].flatMap((f) => events.map((e) => `[hooks.state."${f}:${e}:0:0"]\ntrusted_hash = "sha256:00"\n`));
    const config = path.join(home, '.codex', 'config.toml');
    fs.appendFileSync(config, `\n[projects."${repo.dir}"]\ntrust_level = "trusted"\n\n${records.join('\n')}`);
    codex = harness(await doctor(), 'codex');
    expect(codex.problems).toEqual([]);
    expect(codex.notes.join(' ')).toContain('Codex has trust records for fanout');
  });

  it('flags a foreign Codex notify and hooks turned off', async () => {
    write(path.join(home, '.codex', 'config.toml'), 'notify = ["notify-send", "done"]\n[features]\nhooks = false\n');
    setup('codex', 'user');
    const codex = harness(await doctor(), 'codex');
    expect(codex.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('has notify = ["notify-send","done"], which is not fanout\'s'), expect.stringContaining('turns hooks off')]),
    );
  });

  it('says it cannot verify trust when config.toml does not parse', async () => {
    setup('codex', 'user');
    fs.writeFileSync(path.join(home, '.codex', 'config.toml'), 'notify = [\n');
    const codex = harness(await doctor(), 'codex');
    expect(codex.problems.join(' ')).toContain('cannot verify trust; run codex once and accept the hooks');
  });

  it('checks that the runtime dir is private', async () => {
    fs.mkdirSync(runtimeDir, { mode: 0o755 });
    fs.chmodSync(runtimeDir, 0o755);
    let r = await doctor();
    expect(r.checks[2]).toMatchObject({ name: 'runtime-dir', ok: false });
    expect(r.checks[2]?.detail).toContain('open to others (mode 755)');
    fs.chmodSync(runtimeDir, 0o700);
    r = await doctor();
    expect(r.checks[2]).toMatchObject({ name: 'runtime-dir', ok: true });
  });

  it('knows an OpenCode plugin that is stale or not fanout’s', async () => {
    setup('opencode');
    const file = path.join(repo.dir, '.opencode', 'plugin', 'fanout.js');
    fs.appendFileSync(file, '// edited\n');
    write(path.join(home, '.config', 'opencode', 'plugin', 'fanout.js'), 'export const X = async () => ({});\n');
    const opencode = harness(await doctor(), 'opencode');
    expect(opencode.scopes.map((s) => s.state)).toEqual(['outdated', 'not-hooked']);
    expect(opencode.problems).toHaveLength(2);
  });
});
