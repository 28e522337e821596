/**
 * Renders charts/feathr-online with a real helm binary (`helm template`), shared by the
 * chart tests and scripts/update-chart-golden.ts so both render exactly the same way.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { projectRoot } from './setup-test-tools.js';

export const CHART_DIR = join(projectRoot(), 'charts', 'feathr-online');
export const CHART_VALUES_DIR = join(projectRoot(), 'test', 'chart', 'values');
export const CHART_GOLDEN_DIR = join(projectRoot(), 'test', 'chart', 'golden');
export const IDENTITY_MODES = ['vm-managed-identity', 'workload-identity', 'service-principal'] as const;
/** The monitor on, rendered as on a cluster with the Prometheus Operator's API. */
export const MONITOR_GOLDEN = { name: 'monitor', args: ['--api-versions', 'monitoring.coreos.com/v1'] } as const;

export function helmBinary(set: 'helm3' | 'helm4'): string {
  return join(projectRoot(), '.tools', set, 'helm');
}

export async function renderChart(
  helm: string,
  valuesFile: string,
  extraArgs: readonly string[] = [],
): Promise<string> {
  const run = await execa(helm, [
    'template',
    'feathr-online',
    CHART_DIR,
    '--namespace',
    'feathr',
    '--values',
    valuesFile,
    ...extraArgs,
  ]);
  return run.stdout;
}
