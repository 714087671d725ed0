/** Bottom line: the flash message while it lasts, otherwise key hints generated from the key registry. */
import { Box, Text } from 'ink';
import type { Hint } from '../src/ui/keymap.js';
import type { Flash } from '../src/ui/state.js';

export interface FooterProps {
  hints: readonly Hint[];
  flash: Flash | null;
  now: number;
  width: number;
}

export function Footer({ hints, flash, now, width }: FooterProps) {
  const showFlash = flash !== null && flash.until > now;
  return (
    <Box width={width} height={1}>
      {showFlash ? (
        <Text wrap="truncate" color={flash.tone === 'error' ? 'red' : 'yellow'}>
          {flash.text}
        </Text>
      ) : (
        <Text wrap="truncate">
          {hints.map((h, i) => (
            <Text key={h.label}>
              {i > 0 ? '  ' : ''}
              <Text bold>{h.keys}</Text>
              <Text dimColor>{` ${h.label}`}</Text>
            </Text>
          ))}
        </Text>
      )}
    </Box>
  );
}
