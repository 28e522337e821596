/**
 * `helm template`: the chart renders the release's values offline, so its own rules (the
 * values.schema.json helm checks, `required` and `fail` in the templates) judge the input
 * before anything is written. The same arguments as the install (chart, namespace, values
 * file, --set-file), the values in the same 0600 temp file removed afterwards; no cluster is
 * contacted. The values never hold a secret value, only names.
 */
import type { HelmInstallRequest } from './port.js';
import { runTool, type ToolBinary } from './run-tool.js';
import { withTempFile } from './temp-file.js';

export type ChartVerdict = { ok: true } | { ok: false; problems: string[] };

function templateArgs(request: HelmInstallRequest, valuesFile: string): string[] {
  const chart = request.repoUrl ? request.chart.split('/').pop()! : request.chart;
  const args = ['template', request.release, chart, '--namespace', request.namespace];
  if (request.repoUrl) args.push('--repo', request.repoUrl);
  if (request.version) args.push('--version', request.version);
  args.push('--values', valuesFile);
  for (const [key, path] of Object.entries(request.files ?? {})) args.push('--set-file', `${key}=${path}`);
  return args;
}

export async function templateChart(
  helm: ToolBinary,
  request: HelmInstallRequest,
  tempDir?: string,
): Promise<ChartVerdict> {
  const run = await withTempFile(
    'values.json',
    JSON.stringify(request.values, null, 2),
    (valuesFile) => runTool(helm, templateArgs(request, valuesFile), { allowFailure: true }),
    tempDir,
  );
  if (run.exitCode === 0) return { ok: true };
  return { ok: false, problems: chartProblems(run.stderr) };
}

/**
 * helm's schema errors, one per line, without its preamble:
 *   Error: values don't meet the specifications of the schema(s) in the following chart(s):
 *   feathr-online:
 *   - replicaCount: Invalid type. Expected: integer, given: string
 * (helm 4 words it "at '/replicaCount': got string, want integer"; kept as helm says it).
 */
function chartProblems(stderr: string): string[] {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const listed = lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  if (listed.length > 0) return listed;
  const errors = lines.filter((l) => !/^(WARNING|walk\.go)/.test(l)).map((l) => l.replace(/^Error: /, ''));
  return errors.length > 0 ? errors.slice(0, 8) : ['helm template failed without a message'];
}
