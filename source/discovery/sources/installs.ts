/**
 * Earlier installs by this tool, for the start of the guided session: vaults tagged
 * managed-by feathr-kv-setup (the anchor of every install, ownership.ts), the ledger in their
 * tags (the endpoint subnet, the firewall rules), and the Feathr release whose values carry
 * the created-by mark and name that vault. From these it rebuilds the configuration uninstall
 * needs; what it can't see (a renamed release or namespace) takes the preset defaults.
 */
import { type IdentityMode, type SetupConfig } from '../../config/setup-config.js';
import { MANAGED_BY_TAG } from '../../domain/ownership.js';
import { readLedger } from '../../domain/ledger.js';
import { helmValuesAreOurs } from '../../domain/ownership.js';
import type { AksInfo, FoundInstall } from '../port.js';
import type { ClusterDirectory } from './clusters.js';
import { collect, groupOf, listAksClusters, type Ctx } from './azure-lists.js';

const RELEASE = 'feathr-online';
const NAMESPACE = 'feathr';

interface ReleaseFound {
  context: string;
  vaultName: string;
  identity: IdentityMode;
}

/** The pods' identity as the release's values name it. */
function identityOf(values: Record<string, unknown>): IdentityMode {
  const mode = (values.keyVault as { identity?: { mode?: string } } | undefined)?.identity?.mode ?? '';
  return mode === 'workloadIdentity'
    ? 'workload-identity'
    : mode === 'servicePrincipal'
      ? 'service-principal'
      : 'aks-addon';
}

async function releasesOf(clusters: ClusterDirectory): Promise<ReleaseFound[]> {
  const contexts = await clusters.contexts().catch(() => []);
  const found = await Promise.all(
    contexts.map(async ({ name }): Promise<ReleaseFound | undefined> => {
      // An unreachable context just has nothing to offer here.
      const port = await clusters.port(name).catch(() => undefined);
      const values =
        port && (await port.helmStatus(RELEASE, NAMESPACE).catch(() => null))
          ? await port.helmValues(RELEASE, NAMESPACE).catch(() => null)
          : null;
      if (!values || !helmValuesAreOurs(values)) return undefined;
      const vaultName = (values.keyVault as { name?: string } | undefined)?.name;
      return vaultName ? { context: name, vaultName, identity: identityOf(values) } : undefined;
    }),
  );
  return found.filter((f): f is ReleaseFound => f !== undefined);
}

export async function findInstalls(
  ctx: Ctx & { subscriptionId: string },
  clusters: ClusterDirectory,
): Promise<FoundInstall[]> {
  const vaults = (
    await collect(
      'list vaults',
      () => ctx.azure.keyVault.vaults.listBySubscription({ abortSignal: ctx.signal }),
      ctx.signal,
    )
  ).filter((v) => Object.entries(MANAGED_BY_TAG).every(([k, value]) => v.tags?.[k] === value));
  if (vaults.length === 0) return [];
  const [releases, aks] = await Promise.all([releasesOf(clusters), listAksClusters(ctx).catch((): AksInfo[] => [])]);
  return vaults.map((vault) => {
    const name = vault.name ?? '';
    const resourceGroup = groupOf(vault.id);
    const location = vault.location ?? '';
    const ledger = readLedger(vault.tags);
    const release = releases.find((r) => r.vaultName.toLowerCase() === name.toLowerCase());
    const cluster = release ? aks.find((c) => c.name === release.context) : undefined;
    const subnet = ledger.subnets[0];
    const azure = cluster !== undefined || subnet !== undefined;
    const identity = release?.identity ?? (azure ? 'aks-addon' : 'workload-identity');
    const config: SetupConfig = {
      target: azure ? 'azure' : 'other-cloud',
      azure: { subscriptionId: ctx.subscriptionId, resourceGroup, location },
      vault: { name, create: false },
      network: azure
        ? subnet
          ? {
              privateEndpoint: {
                vnet: subnet.vnet.name,
                subnet: subnet.subnet,
                resourceGroup: subnet.vnet.resourceGroup,
                addressPrefix: subnet.prefix,
              },
            }
          : {}
        : { allowedIps: ledger.ipRules.map((r) => r.replace(/\/32$/, '')) },
      cluster: {
        ...(release ? { kubeContext: release.context } : {}),
        ...(cluster ? { aks: { resourceGroup: cluster.resourceGroup, name: cluster.name } } : {}),
      },
      csi: { install: azure ? 'aks-addon' : 'helm' },
      identity: { mode: identity },
    };
    const lines = [
      `vault ${name} in ${resourceGroup}${location ? ` (${location})` : ''}, tagged managed-by feathr-kv-setup`,
      ...(subnet ? [`private endpoint subnet ${subnet.vnet.name}/${subnet.subnet} ${subnet.prefix}`] : []),
      ...(ledger.ipRules.length > 0 ? [`firewall rules ${ledger.ipRules.join(', ')}`] : []),
      release
        ? `Helm release ${NAMESPACE}/${RELEASE} in kube context ${release.context}`
        : 'no Feathr release of this tool found in your kube contexts',
    ];
    return {
      lines,
      config,
      answers: {
        target: config.target,
        resourceGroup,
        location,
        vault: { name, create: false },
        ...(release ? { kubeContext: release.context } : {}),
        ...(cluster ? { aks: { resourceGroup: cluster.resourceGroup, name: cluster.name } } : {}),
      },
    };
  });
}
