/**
 * What the Feathr release should be installed with: the chart directory, and the chart values
 * built by buildChartValues from the secret mapping (names only: the values themselves stay in
 * source/secrets and the vault) and the pod identity. The identity's clientId may not exist yet
 * while planning (the add-on or the managed identity is created earlier in the same run); then
 * `pending` says why, and apply builds the values again once it does.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHART_NAME, shippedChartDir } from '../kube/chart-files.js';
import type { StepContext } from './step-context.js';
import { UserError } from '../kernel/errors.js';
import { identityMode, type SetupConfig } from '../config/setup-config.js';
import { addonIdentity, getCluster, requireCluster } from '../azure/aks.js';
import { getIdentity } from '../azure/identity.js';
import type { FeathrChartValues } from '../kube/feathr-values.js';
import { buildChartValues, type IdentityInput } from '../kube/values-builder.js';
import { collectSecrets } from '../secrets/collect.js';
import { collectDepsOf } from '../secrets/runtime.js';
import { CREATED_BY_LABEL } from '../domain/ownership.js';
import { aksRef } from './topology.js';
import { workloadIdentityNames } from '../config/setup-config.js';
import { monitorValues } from './feathr-release-monitor.js';

export type ReleaseCtx = Pick<StepContext, 'config' | 'azure' | 'signal' | 'kube' | 'secrets'>;

export { shippedChartDir } from '../kube/chart-files.js';

export function chartDir(ctx: Pick<ReleaseCtx, 'config' | 'secrets'>): string {
  const chart = ctx.config.feathr?.chart;
  return chart ? path.resolve(ctx.secrets?.baseDir ?? process.cwd(), chart) : shippedChartDir();
}

/** `<name>-<version>`, as helm status prints the chart. */
export function chartLabel(dir: string): string {
  const file = path.join(dir, 'Chart.yaml');
  if (!existsSync(file))
    throw new UserError(
      `There's no Helm chart at ${dir}.`,
      'Fix feathr.chart in the preset, or remove it to use the shipped chart.',
    );
  const chart = parse(readFileSync(file, 'utf8')) as { name: string; version: string };
  return `${chart.name}-${chart.version}`;
}

/** The chart's fullname helper: the release name when it already contains the chart name. */
export function chartFullname(release: string): string {
  return (release.includes(CHART_NAME) ? release : `${release}-${CHART_NAME}`).slice(0, 63).replace(/-+$/, '');
}

/**
 * `standInClientId`: for the preflight's `helm template` only, a clientId to render with while
 * the real one doesn't exist yet (the add-on or identity is created by this run). The chart's
 * rules about a clientId are its shape, which the stand-in has; every other value is exact.
 */
async function identityInput(
  ctx: ReleaseCtx,
  standInClientId?: string,
): Promise<{ identity?: IdentityInput; pending?: string }> {
  const mode = identityMode(ctx.config);
  if (mode === 'service-principal') return { identity: { mode } };
  if (mode === 'aks-addon') {
    const ref = aksRef(ctx.config);
    const cluster = standInClientId
      ? await getCluster(ctx, ref.resourceGroup, ref.name)
      : await requireCluster(ctx, ref.resourceGroup, ref.name);
    const clientId = (cluster ? addonIdentity(cluster)?.clientId : undefined) ?? standInClientId;
    return clientId
      ? { identity: { mode, clientId } }
      : { pending: `the add-on identity's clientId, known once the add-on is on` };
  }
  const names = workloadIdentityNames(ctx.config);
  const clientId = (await getIdentity(ctx, names.resourceGroup, names.identity))?.clientId ?? standInClientId;
  const serviceAccountName = ctx.config.identity?.workloadIdentity?.serviceAccount ?? 'feathr-online';
  return clientId
    ? { identity: { mode, clientId, serviceAccountName } }
    : { pending: `the clientId of managed identity ${names.identity}, known once it is created` };
}

/** env -> vault name, from the same sources and translation as the migration; values are dropped here. */
async function secretMapping(ctx: ReleaseCtx): Promise<{ env: string; vaultName: string }[]> {
  const settings = ctx.config.secrets;
  if (!settings || settings.sources.length === 0)
    throw new UserError(
      'The preset has no secret sources, so Feathr would get no secrets.',
      'Add secrets.sources (an envFile, a kubernetesSecret or env names).',
    );
  const collected = await collectSecrets(settings, collectDepsOf(ctx.secrets, ctx.kube));
  return collected.entries.map(({ env, vaultName }) => ({ env, vaultName }));
}

function imageValues(image: string | undefined): Record<string, unknown> {
  if (!image) return {};
  // A tag follows the last ':' after the last '/' (a registry port isn't a tag).
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash
    ? { image: { repository: image.slice(0, colon), tag: image.slice(colon + 1) } }
    : { image: { repository: image } };
}

function extraValues(config: SetupConfig): Record<string, unknown> {
  const extra: Record<string, unknown> = { ...(config.feathr?.values ?? {}) };
  const image = imageValues(config.feathr?.image);
  if (image.image) extra.image = { ...((extra.image as object | undefined) ?? {}), ...(image.image as object) };
  return extra;
}

/** `rotationToken`: the token the release keeps or gets (feathr-release-rotation.ts decides). */
export async function desiredValues(
  ctx: ReleaseCtx,
  options: { rotationToken?: string; standInClientId?: string } = {},
): Promise<{ values?: FeathrChartValues; pending?: string; envs: string[] }> {
  const mapping = await secretMapping(ctx);
  const { identity, pending } = await identityInput(ctx, options.standInClientId);
  const envs = mapping.map((m) => m.env);
  if (!identity) return { pending, envs };
  const extra = extraValues(ctx.config);
  const monitor = await monitorValues(ctx, 'clientId' in identity ? identity.clientId : undefined);
  // The operator's own feathr.values.monitor refines what the preset's feathr.monitor sets.
  if (monitor) extra.monitor = { ...monitor, ...((extra.monitor as object | undefined) ?? {}) };
  const values = buildChartValues({
    vaultName: ctx.config.vault.name,
    tenantId: ctx.config.azure.tenantId ?? ctx.azure.tenantId,
    identity,
    mapping,
    labels: { ...CREATED_BY_LABEL },
    extra,
    ...(options.rotationToken ? { rotationToken: options.rotationToken } : {}),
  });
  return { values, envs };
}
