/**
 * Feathr's own configuration files (preset `feathr.pipelineConf`, `feathr.lookupJson`). The chart
 * takes their text as the values `pipeline.conf` / `pipeline.lookup` and renders its `-pipeline`
 * ConfigMap (and the pods' `checksum/pipeline`) from them; helm gets them with `--set-file`, so
 * the text never rides in the values file or on a command line. helm stores the text with the
 * release's values, so the plan compares a digest of each local file with a digest of the value
 * the release holds: a `~` with two short digests, never the text (these files aren't secret,
 * but a plan is no place for them).
 */
import { readUserFile } from '../domain/user-file.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Change } from '../kernel/step.js';
import type { SetupConfig } from '../config/setup-config.js';

const PIPELINE_FILES = [
  { setting: 'pipelineConf', key: 'pipeline.conf' },
  { setting: 'lookupJson', key: 'pipeline.lookup' },
] as const;

export interface PipelineFile {
  /** The chart value the file fills, e.g. `pipeline.conf`. */
  key: (typeof PIPELINE_FILES)[number]['key'];
  /** The preset key that named it, e.g. `feathr.pipelineConf`. */
  setting: string;
  path: string;
  digest: string;
}

/** A short content digest for plans and stamps: enough to tell versions apart. */
function contentDigest(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12)}`;
}

/** Reads each named file once (relative paths against the preset's folder, like envFile). */
export async function pipelineFiles(
  config: Pick<SetupConfig, 'feathr'>,
  baseDir = process.cwd(),
): Promise<PipelineFile[]> {
  const files: PipelineFile[] = [];
  for (const { setting, key } of PIPELINE_FILES) {
    const named = config.feathr?.[setting];
    if (!named) continue;
    const file = path.resolve(baseDir, named);
    const text = await readUserFile(
      file,
      (code) =>
        `Can't read feathr.${setting} ${named} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}).`,
      `Fix the path in the preset (relative paths start at the preset's folder), or remove feathr.${setting} to use the chart's default.`,
    );
    files.push({ key, setting: `feathr.${setting}`, path: file, digest: contentDigest(text) });
  }
  return files;
}

/** `HelmInstallRequest.files`: value key -> path, handed over with --set-file. */
export function helmFiles(files: readonly PipelineFile[]): Record<string, string> | undefined {
  return files.length > 0 ? Object.fromEntries(files.map((f) => [f.key, f.path])) : undefined;
}

function valueAt(values: Record<string, unknown> | null | undefined, key: string): unknown {
  let node: unknown = values;
  for (const part of key.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

function digestOfValue(value: unknown): string | undefined {
  return typeof value === 'string'
    ? contentDigest(value)
    : value === undefined
      ? undefined
      : contentDigest(JSON.stringify(value));
}

/** Values without the keys the pipeline files own, for the field-by-field comparison. */
export function withoutFileKeys(values: Record<string, unknown>): Record<string, unknown> {
  const pipeline = values.pipeline;
  if (!pipeline || typeof pipeline !== 'object' || Array.isArray(pipeline)) return values;
  const rest = { ...(pipeline as Record<string, unknown>) };
  for (const { key } of PIPELINE_FILES) delete rest[key.split('.')[1]!];
  const { pipeline: _owned, ...others } = values;
  return Object.keys(rest).length > 0 ? { ...others, pipeline: rest } : others;
}

/** Digests of what the release holds and of what this run gives, per file key (for the stamp too). */
export function fileDigests(
  current: Record<string, unknown> | null,
  wanted: Record<string, unknown>,
  files: readonly PipelineFile[],
) {
  return PIPELINE_FILES.map(({ key, setting }) => {
    const file = files.find((f) => f.key === key);
    return {
      key,
      setting: `feathr.${setting}`,
      file,
      current: digestOfValue(valueAt(current, key)),
      wanted: file?.digest ?? digestOfValue(valueAt(wanted, key)),
    };
  });
}

function reasonFor(d: ReturnType<typeof fileDigests>[number]): string {
  if (!d.file)
    return d.wanted === undefined
      ? `${d.setting} is no longer given; the chart's default applies`
      : `${d.key} in feathr.values differs from the release`;
  const name = path.basename(d.file.path);
  return d.current === undefined
    ? `${d.setting}: ${name} given for the first time`
    : `${d.setting}: ${name} changed since the release was installed`;
}

/** One `~` per file whose content differs from what the release was installed with. */
export function fileChanges(digests: ReturnType<typeof fileDigests>, resource: string): Change[] {
  return digests
    .filter((d) => d.current !== d.wanted)
    .map((d) => ({
      mark: '~' as const,
      resource,
      field: d.key,
      from: d.current ?? '(chart default)',
      to: d.wanted ?? '(chart default)',
      reason: reasonFor(d),
    }));
}
