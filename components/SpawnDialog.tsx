/** The `n` dialog: a task to delegate (or none), name, harness, isolation, domains and command. The app owns the form state and keys. */
import { Box, Text } from 'ink';
import { HARNESSES } from '../src/core/agent.js';
import type { SpawnField, SpawnForm } from '../src/ui/state.js';
import { ISOLATIONS } from '../src/ui/state.js';

export interface SpawnDialogProps {
  form: SpawnForm;
  cwd: string;
  width: number;
  height: number;
}

function Label({ active, children }: { active: boolean; children: string }) {
  return <Text bold={active} color={active ? 'cyan' : undefined}>{`${active ? '›' : ' '} ${children.padEnd(9)} `}</Text>;
}

export function SpawnDialog({ form, cwd, width, height }: SpawnDialogProps) {
  const cursor = (field: SpawnField) => (form.field === field && !form.busy ? <Text inverse> </Text> : null);
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={2} width={Math.min(width, 80)}>
        <Text bold>New agent</Text>
        <Text> </Text>
        <Text wrap="truncate">
          <Label active={form.field === 'task'}>task</Label>
          {form.task === '' && form.field !== 'task' ? <Text dimColor>(none: start the harness bare)</Text> : <Text>{form.task.replace(/\n/g, ' ⏎ ')}</Text>}
          {cursor('task')}
        </Text>
        <Text wrap="truncate">
          <Label active={form.field === 'name'}>name</Label>
          {form.name === '' && form.field !== 'name' ? <Text dimColor>(generated)</Text> : <Text>{form.name}</Text>}
          {cursor('name')}
        </Text>
        <Text wrap="truncate">
          <Label active={form.field === 'harness'}>harness</Label>
          {HARNESSES.map((h) => (
            <Text key={h} inverse={h === form.harness} bold={h === form.harness} dimColor={h !== form.harness}>
              {` ${h} `}
            </Text>
          ))}
        </Text>
        <Text wrap="truncate">
          <Label active={form.field === 'isolation'}>isolation</Label>
          {ISOLATIONS.map((i) => (
            <Text key={i} inverse={i === form.isolation} bold={i === form.isolation} dimColor={i !== form.isolation}>
              {` ${i} `}
            </Text>
          ))}
        </Text>
        <Text wrap="truncate">
          <Label active={form.field === 'domains'}>domains</Label>
          {form.domains === '' && form.field !== 'domains' ? <Text dimColor>(paths or globs, space-separated: claimed)</Text> : <Text>{form.domains}</Text>}
          {cursor('domains')}
        </Text>
        <Text wrap="truncate">
          <Label active={form.field === 'command'}>command</Label>
          {form.command === '' && form.field !== 'command' ? <Text dimColor>(the harness default)</Text> : <Text>{form.command}</Text>}
          {cursor('command')}
        </Text>
        <Text dimColor wrap="truncate">{`  in ${cwd}`}</Text>
        <Text> </Text>
        {form.error ? (
          <Text color="red" wrap="wrap">
            {form.error}
          </Text>
        ) : null}
        <Text dimColor wrap="truncate">
          {form.busy ? 'starting…' : '↑↓ field  ←→/Tab choose  ⏎ start  Esc cancel'}
        </Text>
      </Box>
    </Box>
  );
}
