#!/usr/bin/env node
// A fake coding agent for `fanout demo` and the tests. It looks and behaves
// enough like Claude Code (spinner with "esc to interrupt", permission prompt,
// "✻ Worked for Ns", idle `❯` prompt between rules) that the dashboard's
// status detection works on it, and it writes real files so the file watcher
// and diff views have something to show. No dependencies, no build step.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';

const plain = Boolean(process.env.NO_COLOR);
const sgr = (code) => (plain ? '' : `\x1b[${code}m`);
const C = { reset: sgr(0), bold: sgr(1), dim: sgr(2), red: sgr(31), green: sgr(32), cyan: sgr(36), orange: sgr('38;5;208') };
const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const VERBS = ['Thinking', 'Pondering', 'Tinkering', 'Noodling', 'Brewing', 'Reticulating'];
const WORDS = ['cache', 'retry', 'parse', 'token', 'queue', 'render', 'config', 'guard', 'buffer', 'index'];
const COMMENT = { '.ts': '//', '.tsx': '//', '.js': '//', '.mjs': '//', '.py': '#', '.sh': '#', '.yml': '#', '.yaml': '#' };

function parseOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string', default: 'agent' },
      task: { type: 'string', default: 'tidy up the code' },
      files: { type: 'string', default: '' },
      ask: { type: 'string' },
      steps: { type: 'string', default: '6' },
      speed: { type: 'string', default: '700' },
      loop: { type: 'boolean', default: false },
      seed: { type: 'string' },
      // Claude's resume flag: fanout passes it when it restarts an agent after an escalation.
      resume: { type: 'string' },
    },
    // Claude takes the task as a positional argument (after `--`).
    allowPositionals: true,
  });
  const files = values.files.split(',').map((f) => f.trim()).filter(Boolean);
  // Default seed comes from the name so three demo agents differ but each is reproducible.
  const seed = values.seed !== undefined ? Number(values.seed) : [...values.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  if (positionals.length > 0) values.task = positionals.join(' ');
  return { ...values, files, steps: Math.max(1, Number(values.steps) || 6), speed: Math.max(1, Number(values.speed) || 700), seed };
}

// mulberry32: tiny seeded PRNG, enough for picking words and numbers.
function makeRng(seed) {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const visible = (s) => [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
const clip = (s, n) => ([...s].length > n ? [...s].slice(0, Math.max(0, n - 1)).join('') + '…' : s);

/** Draws a rounded box no wider than the terminal (and not absurdly wide on big ones). */
function box(lines, cols, colour = C.dim) {
  const inner = Math.max(10, Math.min(cols, 76) - 4);
  const row = (l) => {
    const text = visible(l) > inner ? clip(l, inner) : l;
    return `${colour}│${C.reset} ${text}${' '.repeat(Math.max(0, inner - visible(text)))} ${colour}│${C.reset}`;
  };
  return [`${colour}╭${'─'.repeat(inner + 2)}╮${C.reset}`, ...lines.map(row), `${colour}╰${'─'.repeat(inner + 2)}╯${C.reset}`].join('\n');
}

/**
 * Reports an event the way Claude Code's hooks do: `fanout hook claude EVENT`
 * with the JSON on stdin. Inside fanout this gives exact status and file
 * attribution; outside it (no FANOUT_* variables) it does nothing.
 */
function hook(s, event, extra = {}) {
  const { FANOUT_AGENT_ID, FANOUT_NODE, FANOUT_CLI } = process.env;
  if (!FANOUT_AGENT_ID || !FANOUT_NODE || !FANOUT_CLI) return;
  const payload = { session_id: s.sessionId, cwd: process.cwd(), hook_event_name: event, ...extra };
  try {
    const child = spawn(FANOUT_NODE, [FANOUT_CLI, 'hook', 'claude', event], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.on('error', () => undefined);
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(payload));
    child.unref();
  } catch {
    // A hook must never break the agent.
  }
}

/** Appends a few plausible lines to a file under cwd; returns how many were added, or null if refused. */
function writeFile(s, rel, step) {
  const target = path.resolve(process.cwd(), rel);
  // Never write outside the working directory, even if told to: this runs in real repos.
  if (path.relative(process.cwd(), target).startsWith('..') || path.isAbsolute(rel)) return null;
  const mark = COMMENT[path.extname(rel)] ?? '';
  const body = [`${s.opts.name} · round ${s.round} step ${step + 1}: ${s.opts.task}`];
  for (let i = s.rng(4); i >= 0; i--) body.push(`${WORDS[s.rng(WORDS.length)]} ${WORDS[s.rng(WORDS.length)]} ${s.rng(1000)}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.appendFileSync(target, body.map((l) => (mark ? `${mark} ${l}` : l)).join('\n') + '\n');
  return body.length;
}

/** One line of "work" that touched no file, like a read or a search. */
function chatterLine(s) {
  const pick = s.rng(4);
  if (pick === 0) return `● Read ${s.opts.files[0] ?? 'README.md'} (${20 + s.rng(200)} lines)`;
  if (pick === 1) return `● Searched for "${WORDS[s.rng(WORDS.length)]}" (${1 + s.rng(9)} matches)`;
  if (pick === 2) return `● Ran npm test ${C.dim}· ${5 + s.rng(40)} passed${C.reset}`;
  return `● ${['Checked the types', 'Looked at the git log', 'Listed the source tree'][s.rng(3)]}`;
}

/** Shows the spinner for one step; resolves after `speed` ms or early on Esc. */
function spin(s) {
  const verb = VERBS[s.rng(VERBS.length)];
  const t0 = Date.now();
  let frame = 0;
  const draw = () => {
    const secs = Math.floor((Date.now() - s.roundStart) / 1000);
    s.out(`\r\x1b[2K${C.orange}${FRAMES[frame++ % FRAMES.length]} ${verb}…${C.reset} ${C.dim}(${secs}s · esc to interrupt)${C.reset}`);
  };
  draw();
  return new Promise((resolve) => {
    const done = () => {
      clearInterval(s.timer);
      s.timer = null;
      s.wake = null;
      s.out('\r\x1b[2K');
      resolve();
    };
    s.wake = done;
    s.timer = setInterval(() => (Date.now() - t0 >= s.opts.speed ? done() : draw()), Math.min(100, s.opts.speed));
  });
}

/** Permission prompt; resolves true for yes. Keys are routed here by onKey while s.answer is set. */
function ask(s, file) {
  const lines = [`${C.bold}${file ? `Edit file ${file}` : 'Permission'}${C.reset}`, '', s.opts.ask, `${C.cyan}❯ 1. Yes${C.reset}`, '  2. No', '', `${C.dim}Esc to cancel${C.reset}`];
  s.out(`${box(lines, s.cols, C.orange)}\n`);
  return new Promise((resolve) => {
    s.answer = (yes) => {
      s.answer = null;
      s.mode = 'busy'; // synchronously, so the rest of a "y\n" chunk is not a second answer
      resolve(yes);
    };
  });
}

/** One turn: N steps of spinner + result, files written, one question, then the idle prompt. */
async function runRound(s) {
  s.mode = 'busy';
  s.round += 1;
  s.roundStart = Date.now();
  s.interrupted = false;
  hook(s, 'UserPromptSubmit');
  let asked = !s.opts.ask;
  for (let step = 0; step < s.opts.steps && !s.interrupted; step++) {
    await spin(s);
    if (s.interrupted) break;
    const mine = s.opts.files.filter((_, j) => j % s.opts.steps === step);
    for (const rel of mine) {
      const existed = fs.existsSync(rel);
      const added = writeFile(s, rel, step);
      if (added !== null) hook(s, 'PostToolUse', { tool_name: existed ? 'Edit' : 'Write', tool_input: { file_path: path.resolve(rel) } });
      if (added === null) s.out(`${C.red}● Refused to write ${rel} (outside the working directory)${C.reset}\n`);
      else if (existed) s.out(`${C.green}●${C.reset} Edited ${C.bold}${rel}${C.reset} ${C.green}(+${added}${C.reset} ${C.red}−0)${C.reset}\n`);
      else s.out(`${C.green}●${C.reset} Write(${rel})\n  ⎿  Wrote ${added} lines to ${C.bold}${rel}${C.reset}\n`);
    }
    if (!mine.length) s.out(`${chatterLine(s)}\n`);
    // The question comes after the first file (or first step when there are no files).
    if (!asked && (mine.length || !s.opts.files.length)) {
      asked = true;
      s.mode = 'question';
      hook(s, 'PermissionRequest', { tool_name: 'Edit' });
      const yes = await ask(s, mine[0] ?? s.opts.files[0]);
      hook(s, 'PostToolUse', { tool_name: 'Edit' });
      s.out(yes ? `${C.green}✓ Approved${C.reset}\n` : `${C.red}✗ Skipped${C.reset}\n`);
    }
  }
  // Like Claude: an interrupted turn sends no Stop.
  if (s.interrupted) s.out(`  ⎿  ${C.red}Interrupted${C.reset} · What should I do instead?\n`);
  else hook(s, 'Stop');
  if (!s.interrupted) s.out(`● Done: ${s.opts.task}.\n${C.orange}✻${C.reset} Worked for ${Math.max(1, Math.round((Date.now() - s.roundStart) / 1000))}s\n`);
  prompt(s);
}

/** Runs a round; a failed write (say, a read-only file) is reported like an agent error, not a crash. */
function startRound(s) {
  runRound(s).catch((err) => {
    s.out(`\r\x1b[2K${C.red}● Error: ${err.message}${C.reset}\n`);
    prompt(s);
  });
}

/** Idle prompt: `❯ ` between two rules, cursor left on the prompt line like Claude Code. */
function prompt(s) {
  s.mode = 'idle';
  s.line = '';
  const rule = `${C.dim}${'─'.repeat(s.cols)}${C.reset}`;
  s.out(`\n${rule}\n${C.bold}❯${C.reset} \n${rule}\x1b[1A\r\x1b[2C`);
}

/** Enter at the idle prompt: reply, then either start another round (--loop) or prompt again. */
function submit(s) {
  const text = s.line.trim();
  s.out('\x1b[1B\r\n'); // step below the lower rule before replying
  if (text === '/exit') return s.quit(0);
  if (!text) return prompt(s);
  if (s.opts.loop) {
    s.out(`${C.dim}> ${text}${C.reset}\n`);
    return startRound(s);
  }
  s.out(`● Noted: "${clip(text, s.cols - 12)}" ${C.dim}(demo agent, nothing more to do)${C.reset}\n`);
  prompt(s);
}

/** Routes raw keyboard input according to what the agent is doing. */
function onKey(s, chunk) {
  if (chunk.startsWith('\x1b') && chunk.length > 1) return; // arrow keys, terminal replies: ignore
  for (const ch of chunk) {
    if (ch === '\x03') return s.quit(130);
    if (ch === '\x04') return s.quit(0);
    if (s.mode === 'question') {
      if ('1yY\r\n'.includes(ch)) s.answer(true);
      else if ('2nN\x1b'.includes(ch)) s.answer(false);
    } else if (s.mode === 'busy') {
      if (ch === '\x1b' && s.wake) {
        s.interrupted = true;
        s.wake();
      }
    } else if (ch === '\r' || ch === '\n') {
      submit(s);
    } else if (ch === '\x7f' || ch === '\b') {
      if (s.line) s.out('\b \b');
      s.line = s.line.slice(0, -1);
    } else if (ch >= ' ') {
      s.line += ch;
      s.out(ch);
    }
  }
}

function main() {
  const opts = parseOptions(process.argv.slice(2));
  const { stdin, stdout } = process;
  const s = {
    opts,
    rng: makeRng(opts.seed),
    sessionId: opts.resume ?? randomUUID(),
    cols: stdout.columns || 80,
    mode: 'busy', round: 0, line: '', timer: null, wake: null, answer: null, roundStart: Date.now(),
    out: (text) => stdout.write(text),
    quit: (code) => {
      clearInterval(s.timer);
      try {
        if (stdin.isTTY) stdin.setRawMode(false);
      } catch {
        // stdin already gone; nothing to restore
      }
      stdout.write(`${C.reset}\n`, () => process.exit(code));
      setTimeout(() => process.exit(code), 200).unref(); // the write callback may never come on a dead pty
    },
  };
  // A pty that goes away gives EIO on both ends; that is a normal way to be closed, not a crash.
  stdout.on('error', () => process.exit(0));
  stdin.on('error', () => process.exit(0));
  stdin.on('end', () => s.quit(0));
  process.on('SIGINT', () => s.quit(130)); // only reached when stdin is not raw
  process.on('SIGWINCH', () => (s.cols = stdout.columns || s.cols));
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.on('data', (chunk) => onKey(s, chunk));

  s.out(`${box([`${C.orange}✻${C.reset} ${C.bold}demo-agent · ${opts.name}${C.reset}`, `${C.dim}task:${C.reset} ${opts.task}`, `${C.dim}cwd:  ${process.cwd()}${C.reset}`], s.cols, C.orange)}\n\n`);
  s.out(`${C.dim}> ${opts.task}${C.reset}\n`);
  startRound(s);
}

main();
