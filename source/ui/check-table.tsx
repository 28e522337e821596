/**
 * The check table on the result screen. The status is a word (PASS, FAIL, WARN, SKIP), so it
 * survives NO_COLOR; a failure carries its fix on the next line.
 *
 *   PASS  network  vault name resolves to the private endpoint
 *   FAIL  mount    secrets mount in a pod
 *         fix: kubectl -n feathr describe pod ...
 */
import { Box, Text } from 'ink';
import type { CheckRow } from './view-state.js';

const WORD: Record<CheckRow['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

function checkLines(checks: readonly CheckRow[]): string[] {
  const width = Math.min(14, Math.max(0, ...checks.map((c) => c.category.length)));
  const lines: string[] = [];
  for (const c of checks) {
    const message = c.message && c.status !== 'pass' ? `: ${c.message}` : '';
    lines.push(`${WORD[c.status]}  ${c.category.padEnd(width)}  ${c.description}${message}`);
    if ((c.status === 'fail' || c.status === 'warn') && c.hint) lines.push(`${' '.repeat(width + 8)}fix: ${c.hint}`);
  }
  return lines;
}

export function CheckTable({ checks }: { checks: readonly CheckRow[] }) {
  if (checks.length === 0) return <Text dimColor>No checks ran.</Text>;
  const failed = checks.filter((c) => c.status === 'fail').length;
  return (
    <Box flexDirection="column">
      {checkLines(checks).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text>{failed === 0 ? `All ${checks.length} checks pass or warn.` : `${failed} of ${checks.length} checks failed.`}</Text>
    </Box>
  );
}
