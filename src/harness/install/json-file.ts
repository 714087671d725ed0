/**
 * Reading and re-serialising JSON config files without surprising their
 * owners: key order is kept (JSON.parse keeps insertion order), the file's
 * own indentation and final newline are reused, and a file that does not
 * parse is refused with one line naming it.
 */
import fs from 'node:fs';
import { UserError } from '../../core/errors.js';

export type JsonObject = Record<string, unknown>;

/** How a refusal to touch a broken file ends; doctor strips it. */
export const REFUSAL = '; fix it or move it aside, then run this again — nothing was changed';

export function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface JsonFile {
  file: string;
  /** Raw text; null when the file does not exist. */
  text: string | null;
  /** Parsed top-level object ({} for a missing or blank file). */
  data: JsonObject;
  indent: string;
  finalNewline: boolean;
}

/** Reads a file's text, or null if it does not exist. Other failures become a one-line UserError. */
export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file, so this file cannot exist (writing it later says why).
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EISDIR') throw new UserError(`${file} is a directory, not a file; move it aside and try again`, 'config-unreadable');
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`cannot read ${file}: permission denied`, 'config-unreadable');
    throw new UserError(`cannot read ${file}: ${(err as Error).message}`, 'config-unreadable');
  }
}

function detectIndent(text: string): string {
  const m = /^\{\s*?\n([ \t]+)\S/.exec(text);
  return m?.[1] ?? '  ';
}

/** Parses a JSON config file. Throws a UserError naming the file when it is not a JSON object. */
export function parseJsonConfig(file: string, text: string | null): JsonFile {
  if (text === null || text.trim() === '') {
    return { file, text, data: {}, indent: '  ', finalNewline: true };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
    // Gemini (and some people) put comments in settings.json; rewriting would lose them.
    const comments = /^\s*\/\/|\/\*/m.test(text) ? ', it seems to have comments, which fanout cannot keep when it rewrites a file' : '';
    throw new UserError(`${file} is not valid JSON (${why})${comments}${REFUSAL}`, 'config-invalid');
  }
  if (!isPlainObject(data)) {
    throw new UserError(`${file} does not hold a JSON object at the top level${REFUSAL}`, 'config-invalid');
  }
  return { file, text, data, indent: detectIndent(text), finalNewline: text.endsWith('\n') };
}

export function readJsonConfig(file: string): JsonFile {
  return parseJsonConfig(file, readText(file));
}

export function serializeJson(json: JsonFile, data: JsonObject): string {
  return JSON.stringify(data, null, json.indent) + (json.finalNewline ? '\n' : '');
}

/** Structural equality for parsed JSON (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
