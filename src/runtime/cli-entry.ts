/** The CLI entry script, found beside this module in the built tree: what the server and installed hooks run. */
import { fileURLToPath } from 'node:url';

export function cliEntry(): string {
  return fileURLToPath(new URL('../cli/main.js', import.meta.url));
}
