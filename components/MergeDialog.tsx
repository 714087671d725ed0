/**
 * The merge dialog (`m`): what merging the focused agent's branch would do
 * (commits, diff stat, predicted conflicts with the target, with the
 * shared checkout's uncommitted work, with other agents' branches) and the
 * keys to choose a strategy and go. Only draws.
 */
import { Box, Text } from 'ink';
import type { MergeForm } from '../src/ui/merge-state.js';

export interface MergeDialogProps {
  form: MergeForm;
  width: number;
  height: number;
}

export function MergeDialog({ form, width, height }: MergeDialogProps) {
  const p = form.preview;
  const inner = Math.max(20, Math.min(width - 4, 110));
  const room = Math.max(1, height - 14);
  const added = p ? p.stat.reduce((n, f) => n + (f.added ?? 0), 0) : 0;
  const removed = p ? p.stat.reduce((n, f) => n + (f.removed ?? 0), 0) : 0;
  const blocked = p ? p.conflicts.length > 0 || p.blocking.length > 0 : true;
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor={blocked && p ? 'red' : 'green'} paddingX={1} width={inner}>
        <Text bold wrap="truncate-end">
          Merge {form.name}
          {p ? ` · ${p.branch} → ${p.into}` : ''} · strategy <Text color="cyan">{form.strategy}</Text>
          {form.keep ? ' · keep worktree' : ''}
        </Text>
        {!p ? (
          <Text dimColor>{form.error ? '' : 'predicting…'}</Text>
        ) : (
          <>
            {p.commits.slice(0, room).map((c) => (
              <Text key={c.oid} wrap="truncate-end">
                <Text color="yellow">{c.oid.slice(0, 8)}</Text> {c.subject}
              </Text>
            ))}
            {p.commits.length > room ? <Text dimColor>… {p.commits.length - room} more commits</Text> : null}
            {p.commits.length === 0 ? <Text dimColor>no commits to merge</Text> : null}
            <Text wrap="truncate-end">
              {p.stat.length} file{p.stat.length === 1 ? '' : 's'} <Text color="green">+{added}</Text> <Text color="red">−{removed}</Text>
              {p.uncommitted ? <Text dimColor> · {p.uncommitted} uncommitted path(s) will be committed first</Text> : null}
            </Text>
            {p.conflicts.length ? (
              <Text color="red" wrap="truncate-end">
                conflicts with {p.into}: {p.conflicts.map((c) => `${c.path} (${c.kind})`).join(', ')} — nothing will change; o routes it
              </Text>
            ) : (
              <Text color="green">merges cleanly into {p.into}</Text>
            )}
            {p.blocking.length ? (
              <Text color="red" wrap="truncate-end">
                blocked by uncommitted changes in {p.checkout}: {p.blocking.map((f) => (p.blockingBy[f] ? `${f} (${p.blockingBy[f]?.join(', ')})` : f)).join(', ')}
              </Text>
            ) : null}
            {p.branchConflicts.map((b) => (
              <Text key={b.branch} color="yellow" wrap="truncate-end">
                conflicts with {b.agent}'s {b.branch}: {b.files.map((f) => f.path).join(', ')}
              </Text>
            ))}
          </>
        )}
        {form.error ? (
          <Text color="red" wrap="wrap">
            {form.error}
          </Text>
        ) : null}
        <Text>
          {form.busy ? (
            <Text color="yellow">{p ? 'merging…' : ''}</Text>
          ) : (
            <>
              {blocked ? <Text dimColor>Enter (blocked)</Text> : <Text bold color="green">Enter merge</Text>}   <Text bold>s</Text> strategy   <Text bold>k</Text> keep   <Text bold>Esc</Text> cancel
            </>
          )}
        </Text>
      </Box>
    </Box>
  );
}
