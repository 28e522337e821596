/**
 * What the migration step needs besides the preset: the run's cluster port (for a Kubernetes
 * Secret source), where the local record lives, values typed into the wizard's masked
 * prompts, and (for tests and the benchmark) write tuning. The engine puts it on the step
 * context as `secrets`.
 */
import type { KubePort } from '../kube/port.js';
import type { MigrationTuning } from './migration.js';
import type { SourcedValue } from './secret-entry.js';

export interface SecretsRuntime {
  kube?: Pick<KubePort, 'context' | 'readSecret'>;
  /** Default: written-record.ts defaultStateDir(). */
  stateDir?: string;
  /** Folder relative envFile paths resolve against (the preset's folder); default: cwd. */
  baseDir?: string;
  /** The environment `secrets.sources[].env` names are read from; default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  prompted?: readonly SourcedValue[];
  tuning?: Partial<MigrationTuning>;
}

/** What collectSecrets needs, taken from a run's runtime, with the run's own cluster as fallback. */
export function collectDepsOf(
  runtime: SecretsRuntime | undefined,
  kube: SecretsRuntime['kube'] | undefined,
): {
  kube?: SecretsRuntime['kube'];
  baseDir?: string;
  env?: SecretsRuntime['env'];
  prompted?: SecretsRuntime['prompted'];
} {
  const r = runtime ?? {};
  return { kube: r.kube ?? kube, baseDir: r.baseDir, env: r.env, prompted: r.prompted };
}
