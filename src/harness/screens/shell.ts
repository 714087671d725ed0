/**
 * A plain shell: at its prompt when the last line ends like one ($, #, %,
 * >) with the cursor after it; otherwise no opinion, and output activity
 * decides (a command running quietly looks idle either way).
 */
import type { ScreenInput } from './screen.js';
import { bottom, firstMatch } from './screen.js';

export const detectShell = firstMatch([['idle', 'a shell prompt on the last line', (s: ScreenInput) => /[$#%>]$/.test(bottom(s.text, 1)[0] ?? '')]]);
