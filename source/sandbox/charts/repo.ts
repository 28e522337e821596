/**
 * The sandbox's Helm chart repository at `<url>/_sandbox/charts`: `index.yaml` and one
 * `<name>-<version>.tgz` per chart, packaged at start, so `helm upgrade --install --repo
 * <url>/_sandbox/charts <chart> --version <v> --ca-file <sandbox CA>` pulls as from the
 * provider's public repository.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { SandboxResponse } from '../http.js';
import { DRIVER_CHART, PROVIDER_CHART, chartFiles } from './csi-charts.js';
import { tgz } from './tar.js';

export interface ChartRepo {
  files: Map<string, Buffer>;
}

export function buildChartRepo(now: number): ChartRepo {
  const files = new Map<string, Buffer>();
  const entries: Record<string, unknown[]> = {};
  const created = new Date(now).toISOString();
  for (const [name, chart] of Object.entries(chartFiles())) {
    const meta = name === DRIVER_CHART.name ? DRIVER_CHART : PROVIDER_CHART;
    const archive = tgz(Object.fromEntries(Object.entries(chart).map(([file, text]) => [`${name}/${file}`, text])), now);
    const file = `${name}-${meta.version}.tgz`;
    files.set(file, archive);
    entries[name] = [{ apiVersion: 'v2', name, version: meta.version, appVersion: meta.appVersion, created, digest: createHash('sha256').update(archive).digest('hex'), urls: [file] }];
  }
  files.set('index.yaml', Buffer.from(stringify({ apiVersion: 'v1', entries, generated: created })));
  return { files };
}

export function serveChart(repo: ChartRepo, file: string): SandboxResponse {
  const body = repo.files.get(file);
  if (!body) return { status: 404, headers: { 'content-type': 'text/plain' }, body: '404 page not found\n' };
  return { status: 200, headers: { 'content-type': file.endsWith('.yaml') ? 'text/yaml' : 'application/x-gzip' }, body };
}
