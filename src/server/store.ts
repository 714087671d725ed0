/**
 * The server's durable state, kept with lowdb in the repository's git dir.
 * Writes are coalesced: status flips can be frequent, disk writes need not be.
 * A corrupt file is backed up and replaced, never silently dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { AgentRecord } from '../core/agent.js';
import type { Claim } from '../core/domains/claims.js';
import type { Ledger } from '../core/domains/ledger.js';
import type { Overlap } from '../core/domains/overlaps.js';
import type { WorktreeRecord } from '../core/worktree.js';

export interface DomainState {
  ledger: Ledger;
  claims: Claim[];
  overlaps: Overlap[];
}

export interface StateData {
  version: 1;
  ptySize: { cols: number; rows: number };
  agents: AgentRecord[];
  domains: DomainState;
  /** Worktrees fanout made for agents, with the base each merges back into. */
  worktrees: WorktreeRecord[];
  /** Agents whose work was merged, kept for `fanout ls --archived`. */
  archive: Array<AgentRecord & { archivedAt: string; mergedInto: string }>;
  /** Ids of predicted merge conflicts the operator acknowledged (an id changes when either branch moves). */
  acknowledgedConflicts: string[];
}

export const DEFAULT_PTY_SIZE = { cols: 120, rows: 36 };

const defaults = (): StateData => ({ version: 1, ptySize: { ...DEFAULT_PTY_SIZE }, agents: [], domains: { ledger: { touches: [] }, claims: [], overlaps: [] }, worktrees: [], archive: [], acknowledgedConflicts: [] });

export interface OpenedStore {
  store: Store;
  /** Things the operator should hear about, e.g. a corrupt file that was backed up. */
  notices: string[];
}

export class Store {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly db: Low<StateData>) {}

  static async open(file: string, now: () => Date = () => new Date()): Promise<OpenedStore> {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const notices: string[] = [];
    const problem = validate(file);
    if (problem) {
      const backup = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(file, backup);
      notices.push(`state file ${file} was unreadable (${problem}); backed it up to ${backup} and started clean`);
    }
    // lowdb's JSONFilePreset switches to memory under NODE_ENV=test; build it by hand.
    const db = new Low<StateData>(new JSONFile<StateData>(file), defaults());
    await db.read();
    db.data = { ...defaults(), ...db.data };
    return { store: new Store(db), notices };
  }

  get data(): StateData {
    return this.db.data;
  }

  /** Mutates the state and schedules one coalesced write. */
  update(mutate: (data: StateData) => void): void {
    mutate(this.db.data);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 50);
  }

  /** Writes now; resolves when every earlier write has landed too. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writing = this.writing.then(() => this.db.write()).catch(() => undefined);
    await this.writing;
  }
}

/** Why the file cannot be used as state, or null if it can (or does not exist). */
function validate(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (text.trim() === '') return 'empty';
  try {
    const data = JSON.parse(text) as Partial<StateData> | null;
    if (!data || typeof data !== 'object' || !Array.isArray(data.agents)) return 'not a fanout state file';
    if (data.version !== 1) return `unknown state version ${String(data.version)}`;
    return null;
  } catch {
    return 'invalid JSON';
  }
}
