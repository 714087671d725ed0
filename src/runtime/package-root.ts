/** The installed fanout package's root folder, found from this module's location (works from src/ and dist/). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'fanout') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the fanout package above ${from}`);
    dir = parent;
  }
}
