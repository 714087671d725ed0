/** setup/remove against real files in a temp HOME and a real git repository. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { UserError } from '../../src/core/errors.js';
import { claudeHandler } from '../../src/harness/install/claude.js';
import { codexNotifyArgv } from '../../src/harness/install/command.js';
import { runSetup } from '../../src/harness/install/index.js';
import { OPENCODE_MARKER } from '../../src/harness/install/opencode.js';
import type { InstallContext, Scope } from '../../src/harness/install/types.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo, makeTempDir, removeDir } from '../helpers/repo.js';

let repo: TempRepo;
let home: string;
let ctx: InstallContext;

beforeEach(() => {
  repo = makeRepo();
  home = makeTempDir('fanout-home-');
  ctx = { env: { HOME: home, PATH: process.env.PATH }, repoRoot: repo.dir };
});
afterEach(() => {
  repo.cleanup();
  removeDir(home);
});

const setup = (harness: string, scope: Scope = 'project', extra: { remove?: boolean; dryRun?: boolean } = {}) =>
  runSetup(harness, ctx, { scope, remove: extra.remove ?? false, dryRun: extra.dryRun ?? false });

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
const read = (file: string) => fs.readFileSync(file, 'utf8');
const readJson = (file: string) => JSON.parse(read(file)) as Record<string, unknown>;

/** Every file under a directory with its bytes, to prove nothing else was touched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = read(p);
    }
  };
  walk(dir);
  return out;
}

const USER_SETTINGS = `{
    "permissions": { "allow": ["Bash(npm test)"] },
    "hooks": {
        "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./guard.sh" }] }],
        "Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }]
    },
    "env": { "FOO": "1" }
}
`;

describe('claude', () => {
  it('merges into an existing settings file, keeping unrelated hooks, keys, order and indentation', () => {
    const file = write(path.join(repo.dir, '.claude', 'settings.local.json'), USER_SETTINGS);
    const lines = setup('claude');
    expect(lines[0]).toBe(`claude: hooks added to ${file} (backup: ${file}.fanout-backup)`);
    const data = readJson(file);
    expect(Object.keys(data)).toEqual(['permissions', 'hooks', 'env']);
    expect(data.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(data.env).toEqual({ FOO: '1' });
    const hooks = data.hooks as Record<string, unknown[]>;
    expect(hooks.PreToolUse?.[0]).toEqual({ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh' }] });
    expect(hooks.PreToolUse?.[1]).toEqual({ matcher: '*', hooks: [claudeHandler('PreToolUse')] });
    expect(hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'say done' }] }, { hooks: [claudeHandler('Stop')] }]);
    expect(Object.keys(hooks)).toHaveLength(10);
    expect(read(file)).toMatch(/^\{\n {4}"permissions"/);
  });

  it('is idempotent: the second run writes nothing and the bytes are identical', () => {
    const file = write(path.join(repo.dir, '.claude', 'settings.local.json'), USER_SETTINGS);
    setup('claude');
    const first = read(file);
    const mtime = fs.statSync(file).mtimeMs;
    expect(setup('claude')).toEqual([`claude: hooks already in ${file}; nothing to do`]);
    expect(read(file)).toBe(first);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
  });

  it('keeps the first backup and never overwrites it', () => {
    const file = write(path.join(repo.dir, '.claude', 'settings.local.json'), USER_SETTINGS);
    setup('claude');
    setup('claude', 'project', { remove: true });
    write(file, '{ "model": "changed later" }\n');
    const lines = setup('claude');
    expect(lines[0]).toBe(`claude: hooks added to ${file}`);
    expect(read(`${file}.fanout-backup`)).toBe(USER_SETTINGS);
  });

  it('remove restores the original content and keeps the backup', () => {
    const file = write(path.join(repo.dir, '.claude', 'settings.local.json'), USER_SETTINGS);
    setup('claude');
    expect(setup('claude', 'project', { remove: true })).toEqual([`claude: hooks removed from ${file}`]);
    expect(readJson(file)).toEqual(JSON.parse(USER_SETTINGS));
    expect(fs.existsSync(`${file}.fanout-backup`)).toBe(true);
    expect(setup('claude', 'project', { remove: true })).toEqual([`claude: no fanout hooks in ${file}; nothing to do`]);
  });

  it('remove deletes a file (and the folder) that fanout created and that holds nothing else', () => {
    setup('claude');
    const file = path.join(repo.dir, '.claude', 'settings.local.json');
    expect(fs.existsSync(file)).toBe(true);
    expect(setup('claude', 'project', { remove: true })[0]).toBe(`claude: hooks removed from ${file} (deleted: it held only fanout's entries)`);
    expect(fs.existsSync(path.join(repo.dir, '.claude'))).toBe(false);
  });

  it('refuses invalid JSON with one line naming the file, and writes nothing', () => {
    const file = write(path.join(repo.dir, '.claude', 'settings.local.json'), '{ "hooks": { , }\n');
    const before = snapshot(repo.dir);
    let err: unknown;
    try {
      setup('claude');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`${file} is not valid JSON`);
    expect((err as Error).message).not.toContain('\n');
    expect(snapshot(repo.dir)).toEqual(before);
  });

  it('gives a clear error when the location cannot be written', () => {
    write(path.join(repo.dir, '.claude'), 'a file where a folder should be');
    expect(() => setup('claude')).toThrow(`cannot create ${path.join(repo.dir, '.claude', 'settings.local.json')}: ${path.join(repo.dir, '.claude')} is a file, not a directory`);
  });

  it('--user writes ~/.claude/settings.json (CLAUDE_CONFIG_DIR moves it)', () => {
    setup('claude', 'user');
    expect(fs.existsSync(path.join(home, '.claude', 'settings.json'))).toBe(true);
    ctx.env.CLAUDE_CONFIG_DIR = path.join(home, 'alt');
    setup('claude', 'user');
    expect(fs.existsSync(path.join(home, 'alt', 'settings.json'))).toBe(true);
  });

  it('--dry-run describes the change and writes nothing', () => {
    const file = write(path.join(repo.dir, '.claude', 'settings.local.json'), USER_SETTINGS);
    const lines = setup('claude', 'project', { dryRun: true });
    expect(lines[0]).toBe(`claude: would add hooks to ${file} (would back up to ${file}.fanout-backup)`);
    expect(lines).toContain('  + PermissionRequest');
    expect(read(file)).toBe(USER_SETTINGS);
    expect(fs.existsSync(`${file}.fanout-backup`)).toBe(false);
  });

  it('writes through a symlinked settings file, keeping the link', () => {
    const real = write(path.join(home, 'dotfiles', 'claude.json'), USER_SETTINGS);
    const link = path.join(repo.dir, '.claude', 'settings.local.json');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(real, link);
    setup('claude');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(Object.keys(readJson(real).hooks as object)).toHaveLength(10);
  });
});

describe('codex', () => {
  const CONFIG = '# my Codex config\nmodel = "gpt-5" # favourite\n\n[tui]\n# keep this comment\nnotifications = true\n';

  it('writes hooks.json and merges notify into config.toml, keeping other keys and comments', () => {
    const config = write(path.join(home, '.codex', 'config.toml'), CONFIG);
    const lines = setup('codex');
    const hooksFile = path.join(repo.dir, '.codex', 'hooks.json');
    expect(lines[0]).toBe(`codex: hooks added to ${hooksFile} (new file)`);
    expect(lines[1]).toBe(`codex: notify added to ${config} (backup: ${config}.fanout-backup)`);
    expect(lines.some((l) => l.startsWith('codex: next:') && l.includes('/hooks'))).toBe(true);
    const text = read(config);
    expect(text).toContain('# my Codex config\nmodel = "gpt-5" # favourite\n');
    expect(text).toContain('[tui]\n# keep this comment\nnotifications = true\n');
    const parsed = parse(text) as Record<string, unknown>;
    expect(parsed.notify).toEqual(codexNotifyArgv());
    expect(parsed.model).toBe('gpt-5');
    expect(Object.keys((readJson(hooksFile).hooks as object) ?? {})).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop']);

    const hooksBytes = read(hooksFile);
    expect(setup('codex')).toEqual([`codex: hooks already in ${hooksFile}; nothing to do`, `codex: notify already in ${config}; nothing to do`]);
    expect(read(config)).toBe(text);
    expect(read(hooksFile)).toBe(hooksBytes);

    setup('codex', 'project', { remove: true });
    expect(read(config)).toBe(CONFIG);
    expect(fs.existsSync(path.join(repo.dir, '.codex'))).toBe(false);
  });

  it('reports a foreign notify and leaves it alone', () => {
    const foreign = '# mine\nnotify = ["notify-send", "Codex"]\n';
    const config = write(path.join(home, '.codex', 'config.toml'), foreign);
    const lines = setup('codex', 'user');
    expect(lines).toContain(`codex: notify left alone in ${config}; nothing to do`);
    expect(lines.some((l) => l.includes('already has notify = ["notify-send","Codex"], which is not fanout\'s'))).toBe(true);
    expect(read(config)).toBe(foreign);
    expect(fs.existsSync(`${config}.fanout-backup`)).toBe(false);
    setup('codex', 'user', { remove: true });
    expect(read(config)).toBe(foreign);
  });

  it('refuses invalid TOML before writing anything, hooks.json included', () => {
    write(path.join(home, '.codex', 'config.toml'), 'model = "unterminated\n');
    expect(() => setup('codex')).toThrow(/config\.toml is not valid TOML \(line 1/);
    expect(fs.existsSync(path.join(repo.dir, '.codex'))).toBe(false);
  });

  it('respects CODEX_HOME, and keeps notify while the other scope still has fanout hooks', () => {
    ctx.env.CODEX_HOME = path.join(home, 'codex-home');
    setup('codex', 'user');
    setup('codex', 'project');
    const config = path.join(home, 'codex-home', 'config.toml');
    const lines = setup('codex', 'project', { remove: true });
    expect(lines).toContain(`codex: notify kept in ${config}: fanout's user hooks (${path.join(home, 'codex-home', 'hooks.json')}) are still installed`);
    expect((parse(read(config)) as Record<string, unknown>).notify).toEqual(codexNotifyArgv());
    setup('codex', 'user', { remove: true });
    // config.toml was created by fanout and held only notify: gone again.
    expect(fs.existsSync(config)).toBe(false);
  });
});

describe('gemini', () => {
  it('merges into settings.json next to unrelated settings, naming its hooks "fanout"', () => {
    const file = write(path.join(home, '.gemini', 'settings.json'), '{\n  "theme": "GitHub",\n  "hooksConfig": { "enabled": true }\n}\n');
    setup('gemini', 'user');
    const data = readJson(file);
    expect(Object.keys(data)).toEqual(['theme', 'hooksConfig', 'hooks']);
    const hooks = data.hooks as Record<string, { hooks: Record<string, unknown>[] }[]>;
    expect(Object.keys(hooks)).toEqual(['SessionStart', 'BeforeAgent', 'BeforeModel', 'BeforeTool', 'AfterTool', 'Notification', 'AfterAgent', 'SessionEnd']);
    expect(hooks.BeforeTool?.[0]?.hooks[0]).toEqual({ name: 'fanout', type: 'command', command: '[ -n "$FANOUT_AGENT_ID" ] && "$FANOUT_NODE" "$FANOUT_CLI" hook gemini BeforeTool || true' });
    setup('gemini', 'user', { remove: true });
    expect(readJson(file)).toEqual({ theme: 'GitHub', hooksConfig: { enabled: true } });
  });
});

describe('gemini settings with comments', () => {
  it('are refused rather than rewritten without their comments', () => {
    const text = '{\n  // my theme\n  "theme": "GitHub"\n}\n';
    const file = write(path.join(home, '.gemini', 'settings.json'), text);
    expect(() => setup('gemini', 'user')).toThrow(/settings\.json is not valid JSON .*it seems to have comments/);
    expect(read(file)).toBe(text);
  });
});

describe('opencode', () => {
  it('writes the plugin file once, refuses to overwrite someone else’s, and removes only its own', () => {
    const file = path.join(repo.dir, '.opencode', 'plugin', 'fanout.js');
    expect(setup('opencode')[0]).toBe(`opencode: plugin added: ${file} (new file)`);
    expect(read(file).startsWith(OPENCODE_MARKER)).toBe(true);
    expect(setup('opencode')[0]).toBe(`opencode: plugin already installed: ${file}; nothing to do`);
    setup('opencode', 'project', { remove: true });
    expect(fs.existsSync(path.join(repo.dir, '.opencode'))).toBe(false);

    write(file, 'export const Mine = async () => ({});\n');
    expect(() => setup('opencode')).toThrow(`${file} exists and was not written by fanout`);
    setup('opencode', 'project', { remove: true });
    expect(read(file)).toBe('export const Mine = async () => ({});\n');
  });

  it('user scope goes under XDG_CONFIG_HOME', () => {
    ctx.env.XDG_CONFIG_HOME = path.join(home, 'xdg');
    setup('opencode', 'user');
    expect(fs.existsSync(path.join(home, 'xdg', 'opencode', 'plugin', 'fanout.js'))).toBe(true);
  });
});

describe('harnesses without hooks', () => {
  it('say so with a next step', () => {
    expect(() => setup('aider')).toThrow('aider has no hook system; fanout reads its screen instead');
    expect(() => setup('shell')).toThrow('a shell has no hook system');
    expect(() => setup('vim')).toThrow('unknown harness "vim"; use one of claude, codex, gemini, opencode');
  });
});

describe('the installed hook command', () => {
  it('is a silent no-op outside fanout (FANOUT_* unset): exit 0, no output', () => {
    const command = claudeHandler('PreToolUse').command as string;
    const r = spawnSync('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, input: '{"hook_event_name":"PreToolUse"}', encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
