/**
 * The escalation dialog: what moves to the new worktree, how each contested
 * file is routed, and how the agent comes back. Keys are handled by the app;
 * this only draws.
 */
import { Box, Text } from 'ink';
import type { EscalateForm } from '../src/ui/escalate-state.js';
import { routeOf } from '../src/ui/escalate-state.js';

export interface EscalateDialogProps {
  form: EscalateForm;
  width: number;
  height: number;
}

const ACTION_COLOUR = { move: 'yellow', copy: 'cyan', leave: 'gray' } as const;
const RESTART_WORDS = { resume: 'resumes its session', prompt: 'runs its task again', restart: 'starts its command again' } as const;

export function EscalateDialog({ form, width, height }: EscalateDialogProps) {
  const { plan } = form;
  const inner = Math.max(20, Math.min(width - 4, 100));
  // Rows for files: what is left after the fixed lines of the dialog.
  const room = Math.max(1, height - 12);
  const contested = plan?.contested ?? [];
  const first = Math.max(0, Math.min(form.cursor - Math.floor(room / 2), contested.length - room));
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={inner}>
        <Text bold wrap="truncate-end">
          Escalate {form.name} into its own worktree
        </Text>
        {form.proposal ? <Text color="yellow" wrap="truncate-end">fanout proposes it: {form.proposal}</Text> : null}
        {!plan ? (
          <Text dimColor>{form.error ? '' : 'planning…'}</Text>
        ) : (
          <>
            <Text wrap="truncate-end" dimColor>
              {plan.worktreePath} · branch {plan.branch} from {plan.base}
            </Text>
            <Text wrap="truncate-end">
              moves {plan.exclusive.length} file{plan.exclusive.length === 1 ? '' : 's'} that only {form.name} touched
              {plan.exclusive.length ? `: ${plan.exclusive.slice(0, 6).join(', ')}${plan.exclusive.length > 6 ? ', …' : ''}` : ''}
            </Text>
            {contested.length ? <Text bold>contested (also touched by others): m move · c copy · l leave</Text> : null}
            {contested.slice(first, first + room).map((c, i) => {
              const action = routeOf(form, c.path);
              const selected = first + i === form.cursor;
              return (
                <Text key={c.path} wrap="truncate-end" inverse={selected}>
                  {selected ? '›' : ' '} <Text color={ACTION_COLOUR[action]}>{action.padEnd(5)}</Text> {c.path} <Text dimColor>(also {c.others.join(', ')})</Text>
                </Text>
              );
            })}
            <Text wrap="truncate-end" dimColor>
              then it {RESTART_WORDS[plan.restart.how]}; a snapshot keeps every change until you gc it
            </Text>
          </>
        )}
        {form.error ? (
          <Text color="red" wrap="wrap">
            {form.error}
          </Text>
        ) : null}
        <Text>
          {form.busy ? (
            <Text color="yellow">{plan ? 'working…' : ''}</Text>
          ) : (
            <>
              <Text bold color="yellow">Enter</Text> escalate   <Text bold>Esc</Text> cancel{form.proposal ? <>   <Text bold>d</Text> decline</> : null}
            </>
          )}
        </Text>
      </Box>
    </Box>
  );
}
