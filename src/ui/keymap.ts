/**
 * The one registry of dashboard key bindings: command id → default keys and
 * a description. Everything that shows or matches keys (the footer hints,
 * the help screen, the input handler) reads it, so a binding changed in
 * `config.keys` changes everywhere at once.
 *
 * Keys are named the way `fanout keys` and the config spell them (`Enter`,
 * `Up`, `PageDown`, `C-x`, `M-x`, or one character) and matched by the bytes
 * `encodeKey` gives them: one canonical form, whichever spelling was used.
 */
import { encodeKey } from '../core/keys.js';

export const COMMAND_IDS = [
  'focus.left',
  'focus.down',
  'focus.up',
  'focus.right',
  'focus.1',
  'focus.2',
  'focus.3',
  'focus.4',
  'focus.5',
  'focus.6',
  'focus.7',
  'focus.8',
  'focus.9',
  'focus.waiting',
  'zoom',
  'attach',
  'spawn',
  'kill',
  'page.prev',
  'page.next',
  'sort',
  'filter',
  'overlaps',
  'overlap.tell',
  'overlap.ack',
  'escalate',
  'diff',
  'merge',
  'help',
  'quit',
  'stopAll',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

export interface CommandInfo {
  keys: readonly string[];
  description: string;
  /** Commands sharing a hint are shown together in the footer, e.g. the four focus moves as `←↓↑→/hjkl move`. */
  hint: string;
  /** Hints only worth the footer's room in some situations ('never': the help screen or the overlap banner shows them). */
  when?: 'paging' | 'never';
}

// Pane titles show their numbers, so the digits need no footer room.
const focusDigit = (n: number): CommandInfo => ({ keys: [String(n)], description: `focus pane ${n} of this page`, hint: 'focus', when: 'never' });

export const DEFAULT_BINDINGS: Readonly<Record<CommandId, CommandInfo>> = {
  'focus.left': { keys: ['Left', 'h'], description: 'move focus left', hint: 'move' },
  'focus.down': { keys: ['Down', 'j'], description: 'move focus down', hint: 'move' },
  'focus.up': { keys: ['Up', 'k'], description: 'move focus up', hint: 'move' },
  'focus.right': { keys: ['Right', 'l'], description: 'move focus right', hint: 'move' },
  'focus.1': focusDigit(1),
  'focus.2': focusDigit(2),
  'focus.3': focusDigit(3),
  'focus.4': focusDigit(4),
  'focus.5': focusDigit(5),
  'focus.6': focusDigit(6),
  'focus.7': focusDigit(7),
  'focus.8': focusDigit(8),
  'focus.9': focusDigit(9),
  'focus.waiting': { keys: ['w'], description: 'jump to the next agent waiting for you', hint: 'waiting' },
  zoom: { keys: ['z'], description: 'zoom the focused pane (again to unzoom)', hint: 'zoom' },
  attach: { keys: ['Enter'], description: 'attach: full screen, interactive, until the detach key', hint: 'attach' },
  spawn: { keys: ['n'], description: 'start a new agent', hint: 'new' },
  kill: { keys: ['x'], description: 'kill the focused agent (remove it once exited), after confirmation', hint: 'kill' },
  'page.prev': { keys: ['[', 'PageUp'], description: 'previous page of panes', hint: 'page', when: 'paging' },
  'page.next': { keys: [']', 'PageDown'], description: 'next page of panes', hint: 'page', when: 'paging' },
  sort: { keys: ['s'], description: 'sort panes: as started, or waiting first', hint: 'sort', when: 'never' },
  filter: { keys: ['f'], description: 'show all agents, or only waiting / working / idle / error / exited', hint: 'filter', when: 'never' },
  overlaps: { keys: ['o'], description: 'conflicts: every overlap and predicted merge conflict, with actions (again to close)', hint: 'conflicts' },
  'overlap.tell': { keys: ['t'], description: 'overlap banner: type a note into the agent that should keep off', hint: 'tell', when: 'never' },
  'overlap.ack': { keys: ['a'], description: 'overlap banner: acknowledge the overlap', hint: 'ack', when: 'never' },
  escalate: { keys: ['e'], description: "escalate into its own worktree: the proposed agent, the overlap's newcomer, or the focused agent", hint: 'escalate', when: 'never' },
  diff: { keys: ['d'], description: "the focused agent's diff: its files in the shared checkout, or its branch against its base", hint: 'diff' },
  merge: { keys: ['m'], description: "merge the focused agent's worktree branch back: preview, strategy, then go", hint: 'merge', when: 'never' },
  help: { keys: ['?'], description: 'show every key binding', hint: 'help' },
  quit: { keys: ['q', 'C-c'], description: 'quit the dashboard; agents keep running', hint: 'quit' },
  stopAll: { keys: ['Q'], description: 'stop the server and every agent, after confirmation', hint: 'stop all', when: 'never' },
};

export interface Keymap {
  readonly bindings: Readonly<Record<CommandId, CommandInfo>>;
  /** Key bytes → command. */
  readonly byBytes: ReadonlyMap<string, CommandId>;
}

function isCommandId(id: string): id is CommandId {
  return (COMMAND_IDS as readonly string[]).includes(id);
}

function bytesOf(name: string, command: string): string {
  const bytes = encodeKey(name);
  if (bytes === null || bytes === '') {
    throw new Error(`config keys.${command}: unknown key "${name}"; use a single character or a name like Enter, Up, PageDown, C-x, M-x`);
  }
  return bytes;
}

/**
 * The defaults with `overrides` (config.keys) applied: an override replaces
 * that command's keys. An unknown command id or key name is an Error naming
 * it. A key an override takes from another command's defaults leaves that
 * command, so users can reassign a default key.
 */
export function resolveKeymap(overrides: Record<string, string | string[]> = {}): Keymap {
  const bindings = { ...DEFAULT_BINDINGS } as Record<CommandId, CommandInfo>;
  for (const [id, keys] of Object.entries(overrides)) {
    if (!isCommandId(id)) {
      throw new Error(`config keys: unknown command "${id}"; known commands: ${COMMAND_IDS.join(', ')}`);
    }
    bindings[id] = { ...bindings[id], keys: typeof keys === 'string' ? [keys] : [...keys] };
  }
  const byBytes = new Map<string, CommandId>();
  const overridden = new Set(Object.keys(overrides));
  // Defaults first, then overrides, so an override wins a key it shares with a default.
  const order = [...COMMAND_IDS.filter((id) => !overridden.has(id)), ...COMMAND_IDS.filter((id) => overridden.has(id))];
  for (const id of order) for (const name of bindings[id].keys) byBytes.set(bytesOf(name, id), id);
  for (const id of COMMAND_IDS) {
    bindings[id] = { ...bindings[id], keys: bindings[id].keys.filter((name) => byBytes.get(bytesOf(name, id)) === id) };
  }
  return { bindings, byBytes };
}

/** The subset of Ink's `Key` that names a key. */
export interface InkKey {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
}

/** The bytes a terminal sent for the key Ink reports as (input, key); '' when it cannot tell. */
export function inkKeyBytes(input: string, key: InkKey): string {
  if (key.upArrow) return '\x1b[A';
  if (key.downArrow) return '\x1b[B';
  if (key.rightArrow) return '\x1b[C';
  if (key.leftArrow) return '\x1b[D';
  if (key.pageUp) return '\x1b[5~';
  if (key.pageDown) return '\x1b[6~';
  if (key.home) return '\x1b[H';
  if (key.end) return '\x1b[F';
  if (key.return) return '\r';
  if (key.escape) return '\x1b';
  if (key.tab) return key.shift ? '\x1b[Z' : '\t';
  // Ink reports the 0x7f most terminals send for Backspace as `delete`.
  if (key.backspace || key.delete) return '\x7f';
  if (key.ctrl && input.length === 1) return encodeKey(`C-${input}`) ?? '';
  if (key.meta && input.length > 0) return `\x1b${input}`;
  return input;
}

/** Pure: the command Ink's useInput (input, key) maps to, if any. */
export function commandFor(keymap: Keymap, input: string, key: InkKey): CommandId | undefined {
  const bytes = inkKeyBytes(input, key);
  return bytes === '' ? undefined : keymap.byBytes.get(bytes);
}

const LABELS: Record<string, string> = {
  left: '←',
  right: '→',
  up: '↑',
  down: '↓',
  enter: '⏎',
  return: '⏎',
  escape: 'Esc',
  esc: 'Esc',
  pageup: 'PgUp',
  ppage: 'PgUp',
  pagedown: 'PgDn',
  npage: 'PgDn',
  space: 'Space',
  tab: 'Tab',
  btab: 'S-Tab',
  backspace: 'Bksp',
  bspace: 'Bksp',
  delete: 'Del',
  dc: 'Del',
  home: 'Home',
  end: 'End',
};

/** How a key name is shown: arrows as glyphs, Enter as ⏎, the rest as written. */
export function keyLabel(name: string): string {
  return LABELS[name.toLowerCase()] ?? name;
}

export interface Hint {
  keys: string;
  label: string;
}

/** A run of three or more consecutive digits shows as `1-9`. */
function joinLabels(labels: string[]): string {
  const run = labels.length > 2 && labels.every((l, i) => /^\d$/.test(l) && (i === 0 || Number(l) === Number(labels[i - 1]) + 1));
  if (run) return `${labels[0]}-${labels[labels.length - 1]}`;
  return labels.every((l) => [...l].length === 1) ? labels.join('') : labels.join(' ');
}

/**
 * Footer hints generated from the keymap, one per hint group. A group
 * shows its commands' first keys, then their second keys, … separated by
 * '/', e.g. `←↓↑→/hjkl move`. Named keys past the first slot (PgDn, C-c)
 * are left to the help screen to keep the footer on one line.
 */
export function footerHints(keymap: Keymap, situation: { paging: boolean }): Hint[] {
  const groups = new Map<string, CommandId[]>();
  for (const id of COMMAND_IDS) {
    const info = keymap.bindings[id];
    if (info.keys.length === 0) continue;
    if ((info.when === 'paging' && !situation.paging) || info.when === 'never') continue;
    groups.set(info.hint, [...(groups.get(info.hint) ?? []), id]);
  }
  const hints: Hint[] = [];
  for (const [label, ids] of groups) {
    const slots: string[] = [];
    const width = Math.max(...ids.map((id) => keymap.bindings[id].keys.length));
    for (let slot = 0; slot < width; slot++) {
      const labels = ids.map((id) => keymap.bindings[id].keys[slot]).filter((k): k is string => k !== undefined).map(keyLabel);
      if (slot > 0 && labels.some((l) => [...l].length > 1)) continue;
      slots.push(joinLabels(labels));
    }
    hints.push({ keys: slots.join('/'), label });
  }
  return hints;
}

export interface HelpRow {
  id: string;
  keys: string;
  description: string;
}

/**
 * Every binding for the help screen, in registry order. The nine focus.N
 * commands read as one row (`1-9  focus.1…focus.9`) while they keep their
 * default digits, so the help fits a small terminal.
 */
export function helpRows(keymap: Keymap): HelpRow[] {
  const rows: HelpRow[] = [];
  const digits = COMMAND_IDS.filter((id) => /^focus\.\d$/.test(id));
  const digitsDefault = digits.every((id) => keymap.bindings[id].keys.join() === id.slice(-1));
  for (const id of COMMAND_IDS) {
    if (digitsDefault && digits.includes(id)) {
      if (id === digits[0]) rows.push({ id: `${digits[0]}…${digits[digits.length - 1]}`, keys: `1-${digits.length}`, description: 'focus pane N of this page' });
      continue;
    }
    rows.push({ id, keys: keymap.bindings[id].keys.map(keyLabel).join(' ') || '(unbound)', description: keymap.bindings[id].description });
  }
  return rows;
}
