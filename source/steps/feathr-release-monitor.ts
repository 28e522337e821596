/**
 * The chart's `monitor` values: on/off and schedule from the preset's feathr.monitor, what the
 * monitor judges against (private topology, the rotation poll), and the fix each failed
 * check names, produced by the same fix functions `check` uses so the Event says the same
 * words as `check` would.
 */
import type { SetupConfig } from '../config/setup-config.js';
import type { Change } from '../kernel/step.js';
import { fixes, type DiagnosisContext, type VnetRef } from '../checks/fixes.js';
import { aksVnet, endpointVnetRef, type VnetInfo } from './topology.js';
import type { ReleaseCtx } from './feathr-release-values.js';
import { feathrNamespace, feathrRelease } from './kube-shared.js';
import { workloadIdentityNames } from '../config/setup-config.js';
import { SP_SECRET_NAME } from '../kube/values-builder.js';

const DEFAULT_MONITOR_SCHEDULE = '*/5 * * * *';

/** `<release>-kv-monitor`, as the chart names the CronJob and its results ConfigMap. */
export function monitorName(release: string): string {
  return `${release.slice(0, 41).replace(/-+$/, '')}-kv-monitor`;
}

export function monitorWanted(config: SetupConfig): { enabled: boolean; schedule: string } | undefined {
  const monitor = config.feathr?.monitor;
  if (!monitor) return undefined;
  return { enabled: monitor.enabled !== false, schedule: monitor.schedule ?? DEFAULT_MONITOR_SCHEDULE };
}

const vnetRef = (info: VnetInfo): VnetRef => ({
  name: info.ref.name,
  resourceGroup: info.ref.resourceGroup,
  id: info.id,
});

/** The AKS VNet names the fixes; without it they fall back to <placeholders>, as check's do. */
async function clusterVnet(ctx: ReleaseCtx): Promise<VnetRef | undefined> {
  if (ctx.config.target !== 'azure' || !ctx.config.cluster?.aks) return undefined;
  try {
    return vnetRef(await aksVnet(ctx));
  } catch {
    // The VNet can't be told yet (the cluster is created later in this run, or has no VNet of
    // its own): the fixes then use <placeholders>, as check's do, rather than no monitor.
    return undefined;
  }
}

function fixContext(ctx: ReleaseCtx, clientId: string | undefined, aks: VnetRef | undefined): DiagnosisContext {
  const { config } = ctx;
  const mode = config.identity?.mode;
  const endpoint = config.target === 'azure' && config.network?.privateEndpoint ? endpointVnetRef(config) : undefined;
  const names = mode === 'workload-identity' ? workloadIdentityNames(config) : undefined;
  return {
    vaultName: config.vault.name,
    target: config.target,
    resourceGroup: config.azure.resourceGroup,
    vaultId: `/subscriptions/${config.azure.subscriptionId}/resourceGroups/${config.azure.resourceGroup}/providers/Microsoft.KeyVault/vaults/${config.vault.name}`,
    permissionModel: config.vault.permissionModel ?? 'rbac',
    ...(config.cluster?.aks ? { aks: config.cluster.aks } : {}),
    ...(aks ? { aksVnet: aks } : {}),
    ...(endpoint ? { endpointVnet: { name: endpoint.name, resourceGroup: endpoint.resourceGroup } } : {}),
    ...(config.csi?.install ? { csiInstall: config.csi.install } : {}),
    ...(mode ? { identityMode: mode } : {}),
    ...(clientId ? { identityClientId: clientId } : {}),
    ...(names
      ? {
          workloadIdentity: {
            name: names.identity,
            resourceGroup: names.resourceGroup,
            credentialName: names.credential,
          },
        }
      : {}),
    namespace: feathrNamespace(config),
    release: feathrRelease(config),
  };
}

function tokenFix(ctx: DiagnosisContext, config: SetupConfig): string {
  if (ctx.identityMode === 'workload-identity') {
    const sa = config.identity?.workloadIdentity?.serviceAccount ?? 'feathr-online';
    return fixes.federatedCredential(ctx, '', `system:serviceaccount:${ctx.namespace}:${sa}`);
  }
  if (ctx.identityMode === 'service-principal')
    return fixes.replaceSpSecret({ ...ctx, nodePublishSecretRef: SP_SECRET_NAME });
  return fixes.useAddonIdentity(ctx);
}

export async function monitorValues(
  ctx: ReleaseCtx,
  clientId: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  const wanted = monitorWanted(ctx.config);
  if (!wanted) return undefined;
  if (!wanted.enabled) return { enabled: false };
  const dctx = fixContext(ctx, clientId, await clusterVnet(ctx));
  const rotation = ctx.config.csi?.rotation;
  const azure = ctx.config.target === 'azure';
  return {
    enabled: true,
    schedule: wanted.schedule,
    privateEndpoint: azure,
    rotationPollInterval: rotation?.enabled === false ? '' : (rotation?.pollInterval ?? '2m'),
    fixes: {
      dns: azure
        ? fixes.linkZone(dctx)
        : `Check that vault ${dctx.vaultName} exists and that the cluster's DNS forwards to public DNS.`,
      network: fixes.openPath(dctx),
      firewall: azure ? fixes.linkZone(dctx) : fixes.allowIp(dctx, '{address}'),
      token: tokenFix(dctx, ctx.config),
      identity: fixes.grantSecretsUser(dctx),
      secrets: fixes.addSecret(dctx, '<name>'),
      freshness: fixes.restartPods(dctx),
    },
  };
}

/**
 * The plan's line for the monitor: it is part of the release, so it shows when it comes or
 * goes with this run; a changed schedule shows as the release's `monitor.schedule` field.
 */
export function monitorChange(
  config: SetupConfig,
  current: Record<string, unknown> | null,
  resourceOf: (what: string) => string,
): Change | undefined {
  const wanted = monitorWanted(config);
  const had = (current?.monitor as { enabled?: boolean } | undefined)?.enabled === true;
  const cronJob = resourceOf(`CronJob ${feathrNamespace(config)}/${monitorName(feathrRelease(config))}`);
  if (wanted?.enabled && !had)
    return {
      mark: '+',
      resource: cronJob,
      to: wanted.schedule,
      reason: `checks the path to vault ${config.vault.name} from inside the cluster on "${wanted.schedule}"; results in ConfigMap ${monitorName(feathrRelease(config))}, failures as Warning Events (part of the Helm release)`,
    };
  if (wanted && !wanted.enabled && had)
    return {
      mark: '-',
      resource: cronJob,
      reason: 'feathr.monitor.enabled is false: the upgrade removes the monitor and its results',
    };
  return undefined;
}
