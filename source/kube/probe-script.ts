/**
 * The shell script the probe pod runs (docs in its header). It lives in the chart,
 * charts/feathr-online/files/kv-probe.sh, because the chart's kv-monitor CronJob runs the same
 * probe: one script, so `check` and the monitor can't measure differently.
 */
import { chartFile } from './chart-files.js';

export const PROBE_RESULT_PREFIX = 'FEATHR_PROBE_RESULT ';

/** Read on use (not at import), so loading this module touches no file. */
export function probeScript(): string {
  return chartFile('kv-probe.sh');
}
