import { describe, expect, it } from '@jest/globals';
import { claudeHandler, CLAUDE_EVENTS } from '../../src/harness/install/claude.js';
import { codexNotifyArgv, hookCommand, isFanoutCommand } from '../../src/harness/install/command.js';
import { applyHookGroups, inspectHookGroups, removeHookGroups } from '../../src/harness/install/hook-groups.js';
import type { JsonObject } from '../../src/harness/install/json-file.js';
import { jsonEqual } from '../../src/harness/install/json-file.js';

const FILE = '/x/settings.json';
const mine = { type: 'command', command: 'echo mine' };

function userSettings(): JsonObject {
  return {
    permissions: { allow: ['Bash(ls)'] },
    hooks: {
      PreToolUse: [{ matcher: 'Bash', hooks: [mine] }],
      SubagentStop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
    },
    model: 'opus',
  };
}

describe('the installed command', () => {
  it('is the guarded shell snippet, and is recognised as fanout’s', () => {
    expect(hookCommand('claude', 'Stop')).toBe('[ -n "$FANOUT_AGENT_ID" ] && "$FANOUT_NODE" "$FANOUT_CLI" hook claude Stop || true');
    expect(isFanoutCommand(hookCommand('gemini', 'BeforeTool'))).toBe(true);
    expect(isFanoutCommand(codexNotifyArgv().join(' '))).toBe(true);
  });

  it('recognises older and hand-written fanout commands but not other tools', () => {
    expect(isFanoutCommand('fanout hook claude Stop')).toBe(true);
    expect(isFanoutCommand('node /opt/fanout/dist/src/cli/main.js hook codex Stop')).toBe(true);
    expect(isFanoutCommand('"${FANOUT_CLI}" hook claude Stop')).toBe(true);
    expect(isFanoutCommand('echo mine')).toBe(false);
    expect(isFanoutCommand('git hook run pre-commit')).toBe(false);
    expect(isFanoutCommand('fanout-notifier && other hook claude')).toBe(false);
  });
});

describe('merging hook groups', () => {
  it('adds one group per event after the user’s groups and keeps everything else in place', () => {
    const root = userSettings();
    const edit = applyHookGroups(root, CLAUDE_EVENTS, claudeHandler, FILE);
    expect(edit.added).toEqual(CLAUDE_EVENTS.map((s) => s.event));
    expect(Object.keys(root)).toEqual(['permissions', 'hooks', 'model']);
    const hooks = root.hooks as Record<string, unknown[]>;
    expect(hooks.PreToolUse?.[0]).toEqual({ matcher: 'Bash', hooks: [mine] });
    expect(hooks.PreToolUse?.[1]).toEqual({ matcher: '*', hooks: [claudeHandler('PreToolUse')] });
    expect(hooks.Stop).toEqual([{ hooks: [claudeHandler('Stop')] }]);
    expect(hooks.SubagentStop).toEqual(userSettings().hooks && (userSettings().hooks as JsonObject).SubagentStop);
    expect(inspectHookGroups(root, CLAUDE_EVENTS, claudeHandler).current).toHaveLength(CLAUDE_EVENTS.length);
  });

  it('changes nothing the second time', () => {
    const root = userSettings();
    applyHookGroups(root, CLAUDE_EVENTS, claudeHandler, FILE);
    const snapshot = structuredClone(root);
    expect(applyHookGroups(root, CLAUDE_EVENTS, claudeHandler, FILE)).toEqual({ added: [], updated: [], removed: [] });
    expect(root).toEqual(snapshot);
  });

  it('replaces an old fanout entry where it stood, drops duplicates, and clears events it no longer hooks', () => {
    const root: JsonObject = {
      hooks: {
        Stop: [
          { hooks: [{ type: 'command', command: 'fanout hook claude Stop' }] },
          { hooks: [mine] },
          { hooks: [{ type: 'command', command: hookCommand('claude', 'Stop') }] },
        ],
        // A fanout handler sharing a group with the user's: only it goes.
        PreToolUse: [{ matcher: 'Bash', hooks: [mine, { type: 'command', command: 'fanout hook claude PreToolUse' }] }],
        Interrupt: [{ hooks: [{ type: 'command', command: hookCommand('claude', 'Interrupt') }] }],
      },
    };
    const edit = applyHookGroups(root, CLAUDE_EVENTS, claudeHandler, FILE);
    expect(edit.updated).toEqual(['PreToolUse', 'Stop']);
    expect(edit.removed).toEqual(['Interrupt']);
    const hooks = root.hooks as Record<string, unknown[]>;
    expect(hooks.Stop).toEqual([{ hooks: [claudeHandler('Stop')] }, { hooks: [mine] }]);
    expect(hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [mine] }, { matcher: '*', hooks: [claudeHandler('PreToolUse')] }]);
    expect(hooks.Interrupt).toBeUndefined();
  });

  it('refuses a hooks value of the wrong shape, naming the file', () => {
    expect(() => applyHookGroups({ hooks: [] }, CLAUDE_EVENTS, claudeHandler, FILE)).toThrow(`${FILE}: "hooks" is not an object`);
    expect(() => applyHookGroups({ hooks: { Stop: {} } }, CLAUDE_EVENTS, claudeHandler, FILE)).toThrow(`${FILE}: "hooks.Stop" is not a list`);
  });
});

describe('removing hook groups', () => {
  it('takes out exactly fanout’s entries and the containers that held only them', () => {
    const original = userSettings();
    const root = structuredClone(original);
    applyHookGroups(root, CLAUDE_EVENTS, claudeHandler, FILE);
    const touched = removeHookGroups(root, original, FILE);
    expect(touched).toHaveLength(CLAUDE_EVENTS.length);
    expect(jsonEqual(root, original)).toBe(true);
  });

  it('drops a hooks object it emptied, unless the original had one', () => {
    const created: JsonObject = { model: 'x' };
    applyHookGroups(created, CLAUDE_EVENTS, claudeHandler, FILE);
    removeHookGroups(created, { model: 'x' }, FILE);
    expect(created).toEqual({ model: 'x' });

    const hadEmpty: JsonObject = { hooks: {} };
    applyHookGroups(hadEmpty, CLAUDE_EVENTS, claudeHandler, FILE);
    removeHookGroups(hadEmpty, { hooks: {} }, FILE);
    expect(hadEmpty).toEqual({ hooks: {} });
  });

  it('leaves a file without fanout entries alone', () => {
    const root = userSettings();
    expect(removeHookGroups(root, null, FILE)).toEqual([]);
    expect(root).toEqual(userSettings());
  });
});
