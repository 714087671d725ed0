import { describe, expect, it } from '@jest/globals';
import { parse } from 'smol-toml';
import { codexNotifyArgv } from '../../src/harness/install/command.js';
import { classifyNotify, hookStates, notifyLine, removeNotify, setNotify, snakeEvent } from '../../src/harness/install/toml-notify.js';

const ours = codexNotifyArgv();
const notifyOf = (text: string) => (parse(text) as Record<string, unknown>).notify;

describe("Codex's notify in config.toml", () => {
  it('renders a line that parses back to fanout’s argv', () => {
    expect(notifyOf(notifyLine())).toEqual(ours);
    expect(ours).toEqual(['sh', '-c', '[ -n "$FANOUT_AGENT_ID" ] && "$FANOUT_NODE" "$FANOUT_CLI" hook codex notify "$1" || true', 'fanout-notify']);
  });

  it('goes after the last top-level key, before the first table, keeping comments and bytes', () => {
    const text = '# my settings\nmodel = "gpt-5" # favourite\napproval_policy = "on-request"\n\n[tui]\n# keep me\nnotifications = true\n';
    const next = setNotify(text);
    expect(next).toBe(`# my settings\nmodel = "gpt-5" # favourite\napproval_policy = "on-request"\n${notifyLine()}\n\n[tui]\n# keep me\nnotifications = true\n`);
    const parsed = parse(next) as Record<string, Record<string, unknown>>;
    expect(parsed.notify).toEqual(ours);
    expect(parsed.tui).toEqual({ notifications: true });
    expect(removeNotify(next)).toBe(text);
  });

  it('skips a multi-line value whose lines look like headers', () => {
    const text = 'matrix = [\n  [1, 2],\n  [3, 4],\n]\n[profiles.x]\nmodel = "o3"\n';
    const next = setNotify(text);
    expect((parse(next) as Record<string, unknown>).notify).toEqual(ours);
    expect((parse(next) as Record<string, unknown>).matrix).toEqual([[1, 2], [3, 4]]);
    expect(removeNotify(next)).toBe(text);
  });

  it('handles a file with only tables, only comments, no final newline, or nothing', () => {
    for (const text of ['[tui]\nx = 1\n', '# nothing yet\n', 'model = "x"', '', '# c\r\n[tui]\r\nx = 1\r\n']) {
      const next = setNotify(text);
      const parsed = parse(next) as Record<string, unknown>;
      expect(parsed.notify).toEqual(ours);
      if (text.includes('[tui]')) expect(parsed.tui).toEqual({ x: 1 });
      expect(parse(removeNotify(next))).toEqual(parse(text));
    }
  });

  it('replaces an older fanout notify, even one spanning lines', () => {
    const text = 'model = "x"\nnotify = [\n  "fanout",\n  "hook", "codex", "notify",\n]\n[tui]\n';
    expect(classifyNotify(notifyOf(text))).toBe('ours-outdated');
    const next = setNotify(text);
    expect(next).toBe(`model = "x"\n${notifyLine()}\n[tui]\n`);
    expect(classifyNotify(notifyOf(next))).toBe('ours');
  });

  it('tells fanout’s notify from someone else’s', () => {
    expect(classifyNotify(undefined)).toBe('absent');
    expect(classifyNotify(ours)).toBe('ours');
    expect(classifyNotify(['notify-send', 'Codex'])).toBe('foreign');
    expect(classifyNotify('a string')).toBe('foreign');
  });
});

describe("Codex's trust records", () => {
  it('reads [hooks.state."<path>:<event>:<group>:<handler>"] tables', () => {
    const config = parse('[hooks.state."/h/.codex/hooks.json:pre_tool_use:1:0"]\ntrusted_hash = "sha256:ab"\nenabled = false\n') as Record<string, unknown>;
    const states = hookStates(config);
    expect(states.get('/h/.codex/hooks.json:pre_tool_use:1:0')).toEqual({ trusted_hash: 'sha256:ab', enabled: false });
    expect(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop'].map(snakeEvent)).toEqual([
      'session_start',
      'user_prompt_submit',
      'pre_tool_use',
      'permission_request',
      'post_tool_use',
      'stop',
    ]);
  });
});
