/** Placeholder until carry.ts lands. */
import type { FanoutConfig } from '../../runtime/config.js';
import type { CarryResult } from './escalator.js';

export async function carryForConfig(_root: string, _worktree: string, _config: FanoutConfig): Promise<CarryResult> {
  return { summary: 'nothing carried', notices: [] };
}
