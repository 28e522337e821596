/**
 * A completed install of presets/other-cloud-workload-identity.yaml on feathr-eks, built
 * through the SDKs and the sandbox KubePort the way the steps build it: public vault with
 * firewall Deny and the two egress IPs, managed identity feathr-kv-reader with a federated
 * credential for the cluster's issuer, Key Vault Secrets User for it, the provider chart, and
 * the release in workload-identity mode. `subject` lets a test give the credential a wrong one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createIdentity, putFederatedCredential } from '../../source/azure/identity.js';
import { ROLE, assignRole } from '../../source/azure/roles.js';
import { putVault, vaultId } from '../../source/azure/vaults.js';
import { csiDriverInstallRequest } from '../../source/kube/csi-install.js';
import { buildChartValues } from '../../source/kube/values-builder.js';
import { startSandbox } from '../../source/sandbox/start.js';
import { MAPPING, RG, connect, finishWorld, type InstalledWorld } from './installed-world.js';

export const WI_PRESET = path.resolve('presets/other-cloud-workload-identity.yaml');
export const WI_VAULT = 'feathr-kv-eks-wi';
export const WI_ISSUER = 'https://oidc.sandbox.test/feathr-eks';
export const WI_SUBJECT = 'system:serviceaccount:feathr:feathr-online';
const CHART = path.resolve('charts/feathr-online');

export async function installedWorkloadIdentity(options: { subject?: string } = {}): Promise<InstalledWorld> {
  const sandbox = await startSandbox();
  const { azure, kube, ctx } = connect(sandbox, 'feathr-eks');
  await putVault(
    ctx,
    RG,
    WI_VAULT,
    'eastus',
    {},
    {
      tenantId: sandbox.tenantId,
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      publicNetworkAccess: 'Enabled',
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        ipRules: [{ value: '52.14.20.1' }, { value: '52.14.20.2' }],
      },
    },
  );
  const identity = await createIdentity(ctx, RG, 'feathr-kv-reader', 'eastus', {});
  // The step's credential name (<namespace>-<serviceAccount>), so the fix's command replaces it.
  await putFederatedCredential(
    ctx,
    RG,
    'feathr-kv-reader',
    'feathr-feathr-online',
    WI_ISSUER,
    options.subject ?? WI_SUBJECT,
  );
  await assignRole(ctx, vaultId(azure, RG, WI_VAULT), identity.principalId!, ROLE.keyVaultSecretsUser);
  for (const { vaultName } of MAPPING)
    await azure.keyVault.secrets.createOrUpdate(RG, WI_VAULT, vaultName, {
      properties: { value: `sandbox-${vaultName.toLowerCase()}` },
    });
  await kube.helmUpgradeInstall(csiDriverInstallRequest({ repoUrl: sandbox.chartRepo, version: '1.8.2' }));
  await kube.ensureNamespace('feathr');
  const installRelease = async () => {
    const values = buildChartValues({
      vaultName: WI_VAULT,
      tenantId: sandbox.tenantId,
      identity: { mode: 'workload-identity', clientId: identity.clientId!, serviceAccountName: 'feathr-online' },
      mapping: MAPPING,
    });
    // No --wait: with a wrong credential the pods can't mount, so they never become ready.
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
  return finishWorld({
    sandbox,
    azure,
    kube,
    addonClientId: '',
    installRelease,
    presetText: readFileSync(WI_PRESET, 'utf8'),
  });
}
