/** The in-between state of a screen whose choices are still being discovered. */
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Loaded } from '../use-load.js';
import { MARK } from '../../output/marks.js';

export function LoadGate<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (data: T) => React.ReactNode;
}) {
  if (loaded.state === 'loading') return <Spinner label={`Reading ${what}…`} />;
  if (loaded.state === 'failed') {
    return (
      <Box flexDirection="column">
        <Text>{`${MARK.fail} Can't read ${what}: ${loaded.error}`}</Text>
        <Text dimColor> esc back · ctrl-c quit</Text>
      </Box>
    );
  }
  return <>{children(loaded.data)}</>;
}
