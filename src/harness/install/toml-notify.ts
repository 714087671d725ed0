/**
 * Codex's `notify` key in config.toml, edited line by line.
 *
 * smol-toml parses the file (to refuse a broken one and to read values) but
 * is not used to write it: its stringify drops every comment and reflows the
 * file. So fanout touches only the lines of the top-level `notify = …`
 * entry: it inserts one line after the last top-level key (before the first
 * [table], because a key below a header would belong to that table), replaces
 * only its own entry, and removes only its own entry. Everything else in the
 * file keeps its bytes.
 */
import { parse, TomlError } from 'smol-toml';
import { UserError } from '../../core/errors.js';
import { codexNotifyArgv, isFanoutCommand } from './command.js';
import type { JsonObject } from './json-file.js';
import { isPlainObject, jsonEqual } from './json-file.js';

export function parseToml(file: string, text: string): JsonObject {
  try {
    return parse(text) as JsonObject;
  } catch (err) {
    const why = err instanceof TomlError ? `line ${err.line}: ${err.message.split('\n')[0]}` : String(err);
    throw new UserError(`${file} is not valid TOML (${why}); fix it, then run this again — nothing was changed`, 'config-invalid');
  }
}

/** `notify = ["sh", "-c", '… hook codex notify "$1" || true', "fanout-notify"]` (a literal string needs no escaping). */
export function notifyLine(): string {
  const argv = codexNotifyArgv();
  const item = (s: string) => (s.includes("'") || !s.includes('"') ? JSON.stringify(s) : `'${s}'`);
  return `notify = [${argv.map(item).join(', ')}]`;
}

export type NotifyKind = 'absent' | 'ours' | 'ours-outdated' | 'foreign';

export function classifyNotify(value: unknown): NotifyKind {
  if (value === undefined) return 'absent';
  if (jsonEqual(value, codexNotifyArgv())) return 'ours';
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && isFanoutCommand(value.join(' '))) return 'ours-outdated';
  return 'foreign';
}

export function describeNotify(value: unknown): string {
  return JSON.stringify(value);
}

interface Line {
  text: string;
  /** Including its end-of-line, so joining lines gives the file back byte for byte. */
  raw: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /([^\n]*)(\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') break;
    out.push({ text: (m[1] ?? '').replace(/\r$/, ''), raw: m[0] });
  }
  return out;
}

const KEY_LINE = /^\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*\s*=/;
const NOTIFY_LINE = /^\s*(?:notify|"notify"|'notify')\s*=/;
const HEADER_LINE = /^\s*\[/;

interface TopLevel {
  /** [start, end) line ranges of the top-level key/value entries. */
  entries: { start: number; end: number; notify: boolean }[];
  /** Index of the first table header, or lines.length. */
  firstHeader: number;
}

/** Finds the top-level entries; a value spanning lines (arrays, multi-line strings) is one entry. */
function topLevel(lines: Line[]): TopLevel {
  const entries: TopLevel['entries'] = [];
  let i = 0;
  while (i < lines.length) {
    const text = (lines[i] as Line).text;
    if (HEADER_LINE.test(text)) return { entries, firstHeader: i };
    if (KEY_LINE.test(text)) {
      let end = i + 1;
      // Extend until the entry parses on its own.
      while (end <= lines.length) {
        try {
          parse(lines.slice(i, end).map((l) => l.text).join('\n'));
          break;
        } catch {
          end += 1;
        }
      }
      end = Math.min(end, lines.length);
      entries.push({ start: i, end, notify: NOTIFY_LINE.test(text) });
      i = end;
      continue;
    }
    i += 1;
  }
  return { entries, firstHeader: lines.length };
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Adds fanout's notify, or replaces an older fanout notify. The caller has checked the current value. */
export function setNotify(text: string): string {
  const eol = eolOf(text);
  const lines = splitLines(text);
  const top = topLevel(lines);
  const line = notifyLine() + eol;
  const existing = top.entries.find((e) => e.notify);
  const raws = lines.map((l) => l.raw);
  if (existing) {
    raws.splice(existing.start, existing.end - existing.start, line);
    return raws.join('');
  }
  const last = top.entries[top.entries.length - 1];
  if (last) {
    // The last entry's final line may lack an end-of-line at the end of the file.
    const lastRaw = raws[last.end - 1] as string;
    if (!lastRaw.endsWith('\n')) raws[last.end - 1] = lastRaw + eol;
    raws.splice(last.end, 0, line);
  } else if (top.firstHeader < lines.length) {
    raws.splice(top.firstHeader, 0, line, eol);
  } else {
    if (raws.length > 0 && !(raws[raws.length - 1] as string).endsWith('\n')) raws[raws.length - 1] += eol;
    raws.push(line);
  }
  return raws.join('');
}

/** Removes the top-level notify entry (and the blank line fanout put after it when it stood alone before a table). */
export function removeNotify(text: string): string {
  const lines = splitLines(text);
  const top = topLevel(lines);
  const existing = top.entries.find((e) => e.notify);
  if (!existing) return text;
  let end = existing.end;
  const onlyEntry = top.entries.length === 1;
  if (onlyEntry && end < top.firstHeader && lines[end]?.text.trim() === '' && end + 1 === top.firstHeader) end += 1;
  const raws = lines.map((l) => l.raw);
  raws.splice(existing.start, end - existing.start);
  return raws.join('');
}

/** Codex's trust records: `[hooks.state."<hooks.json path>:<event_snake>:<group>:<handler>"] trusted_hash = "sha256:…"`. */
export function hookStates(config: JsonObject): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  const hooks = config.hooks;
  if (!isPlainObject(hooks) || !isPlainObject(hooks.state)) return out;
  for (const [key, value] of Object.entries(hooks.state)) if (isPlainObject(value)) out.set(key, value);
  return out;
}

export function snakeEvent(event: string): string {
  return event.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
