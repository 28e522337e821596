/**
 * The check table on the result screen, with the CLI's marks (output/marks.ts), so it
 * survives NO_COLOR; a failure carries its fix on the next line.
 *
 *   √  network  vault name resolves to the private endpoint
 *   ×  mount    secrets mount in a pod
 *         fix: kubectl -n feathr describe pod ...
 */
import { Box, Text } from 'ink';
import type { CheckRow } from './view-state.js';
import { MARK } from '../output/marks.js';
import { Hanging } from './hanging.js';

/** Each row as [lead, text]: a wrapped text continues under itself, not under the mark. */
function checkLines(checks: readonly CheckRow[]): [string, string][] {
  const width = Math.min(14, Math.max(0, ...checks.map((c) => c.category.length)));
  const lines: [string, string][] = [];
  for (const c of checks) {
    const message = c.message && c.status !== 'pass' ? `: ${c.message}` : '';
    lines.push([`${MARK[c.status]}  ${c.category.padEnd(width)}  `, `${c.description}${message}`]);
    if ((c.status === 'fail' || c.status === 'warn') && c.hint) lines.push([`${' '.repeat(width + 5)}fix: `, c.hint]);
  }
  return lines;
}

export function CheckTable({ checks }: { checks: readonly CheckRow[] }) {
  if (checks.length === 0) return <Text dimColor>No checks ran.</Text>;
  const failed = checks.filter((c) => c.status === 'fail').length;
  return (
    <Box flexDirection="column">
      {checkLines(checks).map(([lead, text], i) => (
        <Hanging key={i} lead={lead} text={text} />
      ))}
      <Text>
        {failed === 0 ? `All ${checks.length} checks pass or warn.` : `${failed} of ${checks.length} checks failed.`}
      </Text>
    </Box>
  );
}
