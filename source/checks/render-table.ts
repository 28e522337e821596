/**
 * The plain-text check table, grouped by category like `linkerd check`, with the marks of
 * output/marks.ts (√ pass, ‼ warning, × failure, - skipped). A failure's fix follows on its
 * own line.
 *
 *   cluster
 *   -------
 *   √ context feathr-aks is reachable
 *   × the CSI driver is ready on every Linux node: the driver isn't registered
 *       fix: az aks enable-addons --addons azure-keyvault-secrets-provider ...
 *
 *   × Checks failed: 12 passed, 0 warnings, 1 fatal failure, 2 skipped.
 */
import type { EngineEvent } from '../kernel/events.js';
import { MARK } from '../output/marks.js';

export type CheckRow = Pick<
  Extract<EngineEvent, { type: 'check.result' }>,
  'category' | 'description' | 'status' | 'severity' | 'message' | 'hint'
>;

const INDENT = '    ';

function rowLines(row: CheckRow): string[] {
  const message = row.message ? `: ${row.message}` : '';
  const lines = [`${MARK[row.status]} ${row.description}${message}`];
  if ((row.status === 'fail' || row.status === 'warn') && row.hint) lines.push(`${INDENT}fix: ${row.hint}`);
  return lines;
}

/** Counts for the closing line and for the `result` event. */
export function summarizeChecks(rows: readonly CheckRow[]): {
  fatal: number;
  warnings: number;
  passed: number;
  skipped: number;
} {
  return {
    fatal: rows.filter((r) => r.status === 'fail').length,
    warnings: rows.filter((r) => r.status === 'warn').length,
    passed: rows.filter((r) => r.status === 'pass').length,
    skipped: rows.filter((r) => r.status === 'skip').length,
  };
}

export function summaryLine(rows: readonly CheckRow[]): string {
  const c = summarizeChecks(rows);
  const mark = c.fatal > 0 ? MARK.fail : c.warnings > 0 ? MARK.warn : MARK.pass;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict = c.fatal > 0 ? 'Checks failed' : c.warnings > 0 ? 'Checks passed with warnings' : 'Checks passed';
  return `${mark} ${verdict}: ${c.passed} passed, ${plural(c.warnings, 'warning')}, ${plural(c.fatal, 'fatal failure')}, ${c.skipped} skipped.`;
}

/** Categories appear in the order their first check ran; rows keep their order within a category. */
export function renderCheckTable(rows: readonly CheckRow[]): string {
  if (rows.length === 0) return 'No checks ran.';
  const groups = new Map<string, CheckRow[]>();
  for (const row of rows) groups.set(row.category, [...(groups.get(row.category) ?? []), row]);
  const blocks = [...groups].map(([category, members]) =>
    [category, '-'.repeat(category.length), ...members.flatMap(rowLines)].join('\n'),
  );
  return `${blocks.join('\n\n')}\n\n${summaryLine(rows)}`;
}
