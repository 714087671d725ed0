/** A yes/no question. Keys are handled by the app; this only draws. */
import { Box, Text } from 'ink';

export interface ConfirmDialogProps {
  question: string;
  detail?: string;
  width: number;
  height: number;
}

export function ConfirmDialog({ question, detail, width, height }: ConfirmDialogProps) {
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={2}>
        <Text bold>{question}</Text>
        {detail ? <Text dimColor>{detail}</Text> : null}
        <Text>
          <Text bold color="yellow">y</Text> yes   <Text bold>n</Text>/<Text bold>Esc</Text> no
        </Text>
      </Box>
    </Box>
  );
}
