import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { LAUNCH } from '../../src/harness/launch/launch.js';

const screens = path.resolve(process.cwd(), '../shared/fixtures/screens');
const screen = (name: string) => fs.readFileSync(path.join(screens, name), 'utf8');

describe('harness launch facts', () => {
  it('resume arguments are right for each harness', () => {
    expect(LAUNCH.claude.resume(['claude'], 'abc-123')).toEqual(['claude', '--resume', 'abc-123']);
    expect(LAUNCH.codex.resume(['codex'], 'abc')).toEqual(['codex', 'resume', 'abc']);
    expect(LAUNCH.gemini.resume(['gemini'], 'abc')).toEqual(['gemini', '--resume', 'abc']);
    expect(LAUNCH.opencode.resume(['opencode'], 'ses_x')).toEqual(['opencode', '-s', 'ses_x']);
    expect(LAUNCH.aider.resume(['aider'], 'ignored')).toEqual(['aider', '--restore-chat-history']);
    expect(LAUNCH.shell.resume(['bash'], 'x')).toBeNull();
  });

  it('a prompt with quotes, $(…), newlines and unicode stays one verbatim argument', () => {
    const prompt = `fix "it" $(rm -rf ~) 'now'\nsecond line ✓ -- --flag`;
    for (const h of ['claude', 'codex', 'gemini', 'opencode'] as const) {
      const argv = LAUNCH[h].withPrompt(LAUNCH[h].defaultCommand({}), prompt);
      expect(argv[argv.length - 1]).toBe(prompt);
    }
  });

  it('reads the session id from the real exit screens', () => {
    expect(LAUNCH.codex.sessionFromExitScreen(screen('codex-step11.txt'))).toBe('01a22071-1be2-73c2-99c1-b7876b878815');
    expect(LAUNCH.gemini.sessionFromExitScreen(screen('gemini-step9.txt'))).toBe('efcd539d-1d77-4497-8650-d0cc8f2a1133');
    expect(LAUNCH.opencode.sessionFromExitScreen(screen('opencodem-step7.txt'))).toBe('ses_ddf84c64cffeY2FPX2Qf2QM1Rg');
    expect(LAUNCH.claude.sessionFromExitScreen('Resume this session with:\nclaude --resume 6a9236f6-6a46-40e2-9c1d-0a1b2c3d4e5f\n')).toBe('6a9236f6-6a46-40e2-9c1d-0a1b2c3d4e5f');
    expect(LAUNCH.claude.sessionFromExitScreen(screen('claude-step1.txt'))).toBeNull();
  });
});
