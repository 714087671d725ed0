/**
 * `fanout demo` as a newcomer sees it: the demo agents collide on
 * src/api.js, the banner offers escalation, and pressing `e` then Enter
 * moves the newcomer into its own worktree while the dashboard runs.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { closeAllTerminals, startTerminal } from '../helpers/e2e.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { makeTempDir, removeDir } from '../helpers/repo.js';
import { waitFor } from '../helpers/wait.js';

let env: NodeJS.ProcessEnv;
let scratch: string;

beforeEach(() => {
  scratch = makeTempDir('fanout-demo-e2e-');
  env = fanoutEnv({ TMPDIR: scratch });
});

afterEach(async () => {
  await closeAllTerminals();
  for (const d of fs.readdirSync(scratch)) {
    const dir = path.join(scratch, d);
    if (fs.existsSync(path.join(dir, '.git'))) await runFanout(['server', 'stop'], { cwd: dir, env });
  }
  cleanupFanoutEnv(env);
  removeDir(scratch);
});

describe('fanout demo', () => {
  it('ends with the overlap banner offering escalation, and escalation works from the keyboard', async () => {
    const t = await startTerminal({ args: ['demo'], cwd: scratch, env, cols: 160, rows: 44 });
    await t.waitForText(/HOT .*(api ↔ ui|ui ↔ api) both changed src\/api\.js/, { timeoutMs: 30000 });
    // Pane 1 (api) has the focus and is in the overlap, so the banner offers to escalate it; focus ui to move ui.
    await t.waitForText(/e escalate api/);
    t.type('2');
    await t.waitForText(/e escalate ui/);
    t.type('e');
    await t.waitForText('Escalate ui into its own worktree');
    await t.waitForText(/contested \(also touched by others\)/, { timeoutMs: 10000 });
    expect(t.screen()).toMatch(/copy\s+src\/api\.js \(also api/);
    t.press('Enter');
    await t.waitForText(/ui now works in .*\.fanout\/ui/, { timeoutMs: 20000 });

    const repoDir = path.join(scratch, fs.readdirSync(scratch).find((d) => d.startsWith('fanout-demo-') && !d.endsWith('.fanout')) as string);
    const ls = JSON.parse((await runFanout(['ls', '--json'], { cwd: repoDir, env })).stdout) as Array<{ name: string; isolation: string; cwd: string; status: string }>;
    const ui = ls.find((a) => a.name === 'ui');
    expect(ui).toMatchObject({ isolation: 'worktree', cwd: `${repoDir}.fanout/ui` });
    // The escalated agent carries on in its worktree: its pane comes back to life there.
    await waitFor(async () => {
      const now = JSON.parse((await runFanout(['ls', '--json'], { cwd: repoDir, env })).stdout) as Array<{ name: string; status: string }>;
      return now.find((a) => a.name === 'ui')?.status === 'working';
    }, { what: 'ui to work again', timeoutMs: 20000 });
    expect(fs.readFileSync(path.join(`${repoDir}.fanout/ui`, 'src/api.js'), 'utf8')).not.toBe('');
  }, 90_000);
});
