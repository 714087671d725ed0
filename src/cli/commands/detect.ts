/** `fanout detect <harness> [FILE]`: what a screen dump looks like to a harness's detector. For debugging adapters and rules. */
import type { Command } from 'commander';
import fs from 'node:fs';
import { HARNESSES, isHarness } from '../../core/agent.js';
import { UserError } from '../../core/errors.js';
import { detectScreen } from '../../harness/detect/index.js';
import type { Context } from '../context.js';

type Ctx = () => Context;

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerDetectCommand(program: Command, ctx: Ctx): void {
  program
    .command('detect')
    .description("print the status a harness's screen detector reads from a plain-text screen dump (stdin when no FILE)")
    .argument('<harness>', HARNESSES.join(', '))
    .argument('[file]')
    .option('--title <text>', 'the window title at that moment', '')
    .option('--reason', 'also print the rule that decided')
    .action(async (harness: string, file: string | undefined, opts: { title: string; reason?: boolean }) => {
      const c = ctx();
      if (!isHarness(harness)) throw new UserError(`unknown harness "${harness}"; use one of ${HARNESSES.join(', ')}`, 'bad-harness');
      let text: string;
      if (file === undefined) {
        if (c.io.stdin.isTTY) throw new UserError('give a FILE, or pipe a screen dump in: `fanout capture NAME | fanout detect claude`', 'no-input');
        text = await readAll(c.io.stdin);
      } else {
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch (err) {
          throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'bad-file');
        }
      }
      const { status, reason } = detectScreen(harness, { text, title: opts.title });
      c.io.stdout.write(`${status ?? 'unknown'}\n`);
      if (opts.reason) c.io.stdout.write(`${reason}\n`);
    });
}
