/**
 * Files of the shipped chart `charts/feathr-online` that the tool uses itself, so the chart
 * and the tool share one copy: the probe script that `check` runs in its probe pod is the
 * one the chart's kv-monitor CronJob runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHART_NAME = 'feathr-online';

/** The shipped chart: found upward from this module, so it works from source/ and from dist/. */
export function shippedChartDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'charts', CHART_NAME);
    if (existsSync(path.join(candidate, 'Chart.yaml'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`The ${CHART_NAME} chart isn't shipped next to ${from}.`);
  }
}

/** A file under the chart's files/ folder, e.g. kv-probe.sh. */
export function chartFile(name: string): string {
  return readFileSync(path.join(shippedChartDir(), 'files', name), 'utf8');
}
