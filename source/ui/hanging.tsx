/**
 * A line with a hanging indent: when the text wraps, the next row starts under the text, not
 * at column 0 under the mark or the indent.
 *
 *   √ Vault feathr-kv-demo exists, public access off, reached from the cluster through
 *     its private endpoint 10.20.1.4
 */
import { Box, Text } from 'ink';

export function Hanging({ lead, text, bold, dim }: { lead: string; text: string; bold?: boolean; dim?: boolean }) {
  return (
    <Box>
      {/* A fixed-width column: Ink would trim the lead's trailing spaces and let it shrink. */}
      <Box width={[...lead].length} flexShrink={0}>
        <Text bold={bold} dimColor={dim}>
          {lead}
        </Text>
      </Box>
      <Box flexShrink={1}>
        <Text bold={bold} dimColor={dim}>
          {text}
        </Text>
      </Box>
    </Box>
  );
}
