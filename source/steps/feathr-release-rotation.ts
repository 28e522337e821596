/**
 * Restarting Feathr when a secret it reads changes (csi.rotation.enabled). Env vars are read once
 * at process start, and the chart's checksums cover the mapping (names) and the pipeline files,
 * not the values, so a new value in the vault never rolls the pods by itself. The chart rolls
 * them when `rotation.token` changes; this tool bumps that token (a counter, never a value or a
 * hash of one) in a run whose migration writes a secret while the release already exists, and
 * keeps it otherwise, so a re-run with the same values writes nothing.
 */
import type { Change } from '../kernel/step.js';
import type { SetupConfig } from '../config/setup-config.js';
import { prepareMigration } from '../secrets/migration.js';
import { migrationEnv } from './migrate-secrets.js';

const ROTATION_FIELD = 'rotation.token';

/** The schema's default is on, so only an explicit false turns it off. */
export function rotationEnabled(config: Pick<SetupConfig, 'csi'>): boolean {
  return config.csi?.rotation?.enabled !== false;
}

export function currentToken(values: Record<string, unknown> | null): string | undefined {
  const rotation = values?.rotation;
  const token = rotation && typeof rotation === 'object' ? (rotation as { token?: unknown }).token : undefined;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/** 1, 2, 3...: a token someone else set (not a number) starts the count again at 1. */
export function nextToken(current: string | undefined): string {
  const n = /^\d+$/.test(current ?? '') ? Number(current) : 0;
  return String(n + 1);
}

/** How many secrets this run's migration will write (new or changed), from the migration's own diff. */
export async function pendingSecretWrites(ctx: Parameters<typeof migrationEnv>[0]): Promise<number> {
  if (!ctx.config.secrets || ctx.config.secrets.sources.length === 0) return 0;
  const prepared = await prepareMigration(migrationEnv(ctx), { waitForRole: false });
  return prepared.vault?.diff.items.filter((i) => i.kind === 'new' || i.kind === 'changed').length ?? 0;
}

export function rotationChange(
  resource: string,
  from: string | undefined,
  to: string,
  writes: number,
  vaultName: string,
): Change {
  const what = writes === 1 ? '1 secret changes' : `${writes} secrets change`;
  return {
    mark: '~',
    resource,
    field: ROTATION_FIELD,
    from: from ?? '(none)',
    to,
    reason: `${what} in vault ${vaultName} this run; the pods restart to read the new values`,
  };
}

/** The token the plan chose, for apply (by then the migration has run and its diff is empty). */
export function plannedToken(changes: readonly Change[]): string | undefined {
  return changes.find((c) => c.field === ROTATION_FIELD && c.mark === '~')?.to;
}
