/**
 * `feathr-kv-setup check`: every check against what exists. Text output is the grouped
 * table (printed once all checks ran, so categories stay together); JSON output is one
 * `check.result` event per check. Both end with a `result` event. Exit 0 when no fatal check
 * failed, 1 otherwise.
 */
import type { EngineEvent, EventSink } from '../../kernel/events.js';
import { runAllChecks } from '../../checks/index.js';
import { renderCheckTable, summarizeChecks, summaryLine, type CheckRow } from '../../checks/render-table.js';
import type { CheckContext } from '../../checks/types.js';
import { readMonitorHistory, renderMonitorHistory, type MonitorHistory } from '../../checks/monitor-history.js';
import { feathrNamespace, feathrRelease } from '../../steps/kube-shared.js';
import { monitorName, monitorWanted } from '../../steps/feathr-release-monitor.js';

export interface CheckCommandOutput {
  mode: 'text' | 'json';
  emit: EventSink;
}

export async function runCheckCommand(ctx: CheckContext, output: CheckCommandOutput): Promise<number> {
  const rows: CheckRow[] = [];
  const emit = (event: EngineEvent) => {
    if (event.type === 'check.result' && output.mode === 'text') rows.push(event);
    else output.emit(event);
  };
  // The monitor's history goes first (on stdout, with the table): what the cluster saw over
  // time, then what holds now.
  const history = await monitorHistory(ctx);
  if (history)
    output.emit({ type: 'log', level: 'info', message: renderMonitorHistory(history, feathrNamespace(ctx.config)) });
  else if (ctx.kube && monitorWanted(ctx.config)?.enabled) {
    output.emit({
      type: 'log',
      level: 'info',
      message: `Monitor history: none yet; ConfigMap ${feathrNamespace(ctx.config)}/${monitorName(feathrRelease(ctx.config))} isn't there (the release doesn't carry the monitor until the next install or upgrade).`,
    });
  }
  const report = await runAllChecks(ctx, emit);
  // One log event carries the table, so the log file gets exactly what the screen shows.
  if (output.mode === 'text') output.emit({ type: 'log', level: 'info', message: renderCheckTable(rows) });
  const exitCode = report.ok ? 0 : 1;
  output.emit({
    type: 'result',
    ok: report.ok,
    exitCode,
    // The table already ends with the summary line; JSON readers get it here.
    ...(output.mode === 'json' ? { summary: summaryLine(report.results) } : {}),
    checks: summarizeChecks(report.results),
    failed: report.results.filter((r) => r.status === 'fail').map((r) => r.id),
    ...(history ? { monitor: history } : {}),
    ...(report.ok
      ? {}
      : { error: { message: `${report.results.filter((r) => r.status === 'fail').length} fatal check(s) failed.` } }),
  });
  return exitCode;
}

/** Absent when there's no cluster, no monitor or no way to read it: the live checks say why. */
async function monitorHistory(ctx: CheckContext): Promise<MonitorHistory | null> {
  if (!ctx.kube) return null;
  try {
    return await readMonitorHistory(ctx.kube, feathrNamespace(ctx.config), monitorName(feathrRelease(ctx.config)));
  } catch {
    // Unreachable cluster or no permission: the cluster checks below report exactly that.
    return null;
  }
}
