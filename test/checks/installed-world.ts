/**
 * A completed `azure` install in an in-process sandbox, built directly through the SDKs and
 * the sandbox KubePort (the engine's run-setup has no Helm step yet): vault (RBAC, public
 * access off), endpoint subnet + private endpoint, private DNS zone + zone group + links to
 * both VNets, peering both ways, the AKS add-on, Key Vault Secrets User for its identity,
 * the mapped secrets, and the feathr-online release. Each test then breaks one thing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAzureClients, type AzureClients } from '../../source/azure/clients.js';
import { addonIdentity, putAddon, requireCluster } from '../../source/azure/aks.js';
import {
  createPeering,
  createPrivateEndpoint,
  createSubnet,
  createZoneGroup,
  vnetResourceId,
} from '../../source/azure/network.js';
import { createLink, createZone, zoneId } from '../../source/azure/private-dns.js';
import { ROLE, assignRole } from '../../source/azure/roles.js';
import { putVault, vaultId } from '../../source/azure/vaults.js';
import type { KubectlHelmAdapter } from '../../source/kube/kubectl-helm-adapter.js';
import { sandboxPort } from '../helpers/kube-tools.js';
import { buildChartValues } from '../../source/kube/values-builder.js';
import { startSandbox, type RunningSandbox } from '../../source/sandbox/start.js';

export const RG = 'feathr-rg';
export const VAULT = 'feathr-kv-test';
export const MAPPING = [
  { env: 'CONN_STR', vaultName: 'CONN-STR' },
  { env: 'FEATHRCI_HOST', vaultName: 'FEATHRCI-HOST' },
  { env: 'REDIS_PASSWORD', vaultName: 'REDIS-PASSWORD' },
];
const CHART = path.resolve('charts/feathr-online');

export interface InstalledWorld {
  sandbox: RunningSandbox;
  azure: AzureClients;
  kube: KubectlHelmAdapter;
  addonClientId: string;
  dir: string;
  presetFile: string;
  caFile: string;
  /** The preset's YAML, for tests that check against an edited copy. */
  presetText: string;
  /** argv for `check` against this world, with its preset or another preset file. */
  checkArgv(output?: 'text' | 'json', preset?: string): string[];
  /** Writes another preset next to the world's (removed on close) and returns its path. */
  writePreset(name: string, text: string): string;
  /** Re-installs the release with other values (e.g. a wrong client id, without --wait: its pods can't start). */
  installRelease(overrides?: { clientId?: string }): Promise<void>;
  close(): Promise<void>;
}

function presetYaml(subscriptionId: string): string {
  return `version: 1
target: azure
azure: { subscriptionId: ${subscriptionId}, resourceGroup: ${RG}, location: eastus }
vault: { name: ${VAULT}, create: true, permissionModel: rbac, purgeProtection: false }
network:
  privateEndpoint: { vnet: shared-vnet, subnet: kv-endpoints, addressPrefix: 10.20.1.0/24 }
cluster: { kubeContext: feathr-aks, aks: { resourceGroup: ${RG}, name: feathr-aks } }
csi: { install: aks-addon }
identity: { mode: aks-addon }
secrets:
  sources:
    - kubernetesSecret: { namespace: legacy, name: feathr-online-secret }
feathr: { namespace: feathr, release: feathr-online }
`;
}

/** The operator's SDK clients and KubePort on a running sandbox, as the CLI builds them. */
export function connect(
  sandbox: RunningSandbox,
  context: string,
): { azure: AzureClients; kube: KubectlHelmAdapter; ctx: { azure: AzureClients; signal: AbortSignal } } {
  const token = sandbox.tokenFor('operator');
  const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
  const azure = createAzureClients({
    endpoint: sandbox.url,
    credential,
    tlsOptions: { ca: sandbox.caPem },
    subscriptionId: sandbox.subscriptionId,
    tenantId: sandbox.tenantId,
    lroIntervalMs: 1,
    retry: { maxRetries: 0, retryDelayInMs: 10, maxRetryDelayInMs: 10 },
  });
  const kube = sandboxPort(sandbox, context);
  return { azure, kube, ctx: { azure, signal: new AbortController().signal } };
}

/** Writes the preset and the CA next to each other and wraps the world for the tests. */
export function finishWorld(
  parts: Pick<InstalledWorld, 'sandbox' | 'azure' | 'kube' | 'addonClientId' | 'installRelease' | 'presetText'>,
): InstalledWorld {
  const dir = mkdtempSync(path.join(tmpdir(), 'feathr-checks-'));
  const presetFile = path.join(dir, 'preset.yaml');
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(presetFile, parts.presetText);
  writeFileSync(caFile, parts.sandbox.caPem);
  return {
    ...parts,
    dir,
    presetFile,
    caFile,
    checkArgv: (output = 'text', preset = presetFile) => [
      'check',
      '--preset',
      preset,
      '--sandbox-url',
      parts.sandbox.url,
      '--sandbox-ca',
      caFile,
      '--output',
      output,
    ],
    writePreset: (name, text) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    close: async () => {
      await parts.sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function installedWorld(options: { rbacPropagationSeconds?: number } = {}): Promise<InstalledWorld> {
  const sandbox = await startSandbox({ rbacPropagationSeconds: options.rbacPropagationSeconds ?? 0 });
  const { azure, kube, ctx } = connect(sandbox, 'feathr-aks');
  const vault = await putVault(
    ctx,
    RG,
    VAULT,
    'eastus',
    {},
    {
      tenantId: sandbox.tenantId,
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      publicNetworkAccess: 'Disabled',
    },
  );
  const shared = { resourceGroup: RG, name: 'shared-vnet' };
  const aks = { resourceGroup: RG, name: 'aks-vnet' };
  const subnet = await createSubnet(ctx, shared, 'kv-endpoints', '10.20.1.0/24');
  await createPrivateEndpoint(ctx, RG, `${VAULT}-pe`, {
    location: 'eastus',
    subnetId: subnet.id!,
    vaultId: vault.id ?? vaultId(azure, RG, VAULT),
    tags: {},
  });
  await createZone(ctx, RG, {});
  await createZoneGroup(ctx, RG, `${VAULT}-pe`, 'default', zoneId(azure, RG));
  await createLink(ctx, RG, 'aks-vnet-link', vnetResourceId(azure, aks), {});
  await createLink(ctx, RG, 'shared-vnet-link', vnetResourceId(azure, shared), {});
  await createPeering(ctx, aks, 'aks-vnet-to-shared-vnet', vnetResourceId(azure, shared));
  await createPeering(ctx, shared, 'shared-vnet-to-aks-vnet', vnetResourceId(azure, aks));
  const cluster = await requireCluster(ctx, RG, 'feathr-aks');
  await putAddon(ctx, RG, cluster, { enabled: true, enableSecretRotation: 'false', rotationPollInterval: '2m' });
  const identity = addonIdentity(await requireCluster(ctx, RG, 'feathr-aks'));
  if (!identity?.clientId || !identity.objectId) throw new Error('the add-on has no identity');
  await assignRole(ctx, vaultId(azure, RG, VAULT), identity.objectId, ROLE.keyVaultSecretsUser);
  for (const { vaultName } of MAPPING) {
    // Management plane: not subject to the vault firewall, like the tool's own migration.
    await azure.keyVault.secrets.createOrUpdate(RG, VAULT, vaultName, {
      properties: { value: `sandbox-${vaultName.toLowerCase()}` },
    });
  }
  await kube.ensureNamespace('feathr');
  const installRelease = async (overrides: { clientId?: string } = {}) => {
    const values = buildChartValues({
      vaultName: VAULT,
      tenantId: sandbox.tenantId,
      identity: { mode: 'aks-addon', clientId: overrides.clientId ?? identity.clientId! },
      mapping: MAPPING,
    });
    await kube.helmUpgradeInstall({
      release: 'feathr-online',
      namespace: 'feathr',
      chart: CHART,
      values: values as Record<string, unknown>,
      wait: !overrides.clientId,
      timeoutSeconds: 60,
    });
  };
  await installRelease();
  return finishWorld({
    sandbox,
    azure,
    kube,
    addonClientId: identity.clientId,
    installRelease,
    presetText: presetYaml(sandbox.subscriptionId),
  });
}

/**
 * A completed `other-cloud` install on feathr-eks: public vault with firewall Deny and
 * ipRules, the provider chart with sync, service-principal mode, the release. `allowedIps`
 * is both the preset's list and the vault's ipRules.
 */
export async function installedOtherCloud(allowedIps: string[]): Promise<InstalledWorld> {
  const { csiDriverInstallRequest } = await import('../../source/kube/csi-install.js');
  const sandbox = await startSandbox();
  const { azure, kube, ctx } = connect(sandbox, 'feathr-eks');
  const sp = sandbox.state.principals.get(
    [...sandbox.state.principals.values()].find((p) => p.displayName === 'feathr-sp')!.objectId,
  )!;
  await putVault(
    ctx,
    RG,
    VAULT,
    'eastus',
    {},
    {
      tenantId: sandbox.tenantId,
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      publicNetworkAccess: 'Enabled',
      networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: allowedIps.map((value) => ({ value })) },
    },
  );
  await assignRole(ctx, vaultId(azure, RG, VAULT), sp.objectId, ROLE.keyVaultSecretsUser);
  for (const { vaultName } of MAPPING)
    await azure.keyVault.secrets.createOrUpdate(RG, VAULT, vaultName, {
      properties: { value: `sandbox-${vaultName.toLowerCase()}` },
    });
  await kube.helmUpgradeInstall(csiDriverInstallRequest({ repoUrl: sandbox.chartRepo, version: '1.8.2' }));
  await kube.ensureNamespace('feathr');
  await kube.applySecret(
    'feathr',
    'secrets-store-creds',
    { clientid: sp.clientId, clientsecret: 'sandbox-feathr-sp-secret' },
    { 'secrets-store.csi.k8s.io/used': 'true' },
  );
  const installRelease = async () => {
    const values = buildChartValues({
      vaultName: VAULT,
      tenantId: sandbox.tenantId,
      identity: { mode: 'service-principal' },
      mapping: MAPPING,
    });
    await kube.helmUpgradeInstall({
      release: 'feathr-online',
      namespace: 'feathr',
      chart: CHART,
      values: values as Record<string, unknown>,
      wait: false,
      timeoutSeconds: 60,
    });
  };
  await installRelease();
  const presetText = `version: 1
target: other-cloud
azure: { subscriptionId: ${sandbox.subscriptionId}, resourceGroup: ${RG}, location: eastus }
vault: { name: ${VAULT}, create: true, permissionModel: rbac, purgeProtection: false }
network: { allowedIps: [${allowedIps.join(', ')}] }
cluster: { kubeContext: feathr-eks }
csi: { install: helm }
identity: { mode: service-principal, servicePrincipal: { clientId: ${sp.clientId}, objectId: ${sp.objectId}, clientSecretEnv: FEATHR_SP_SECRET } }
secrets:
  sources:
    - kubernetesSecret: { namespace: legacy, name: feathr-online-secret }
feathr: { namespace: feathr, release: feathr-online }
`;
  return finishWorld({ sandbox, azure, kube, addonClientId: '', installRelease, presetText });
}
