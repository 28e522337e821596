import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { SERVICE_PRINCIPAL } from '../../../source/sandbox/world/default-world.js';
import { RG_ID, startWorld, vaultId } from '../keyvault/world.js';
import { PROVIDER_INSTALL, SECRETS, port, spcManifest } from './fixtures.js';
import { arm } from './private-network.js';

const VAULT = 'feathr-kv-probe';
const CLUSTER_ID = `${RG_ID}/providers/Microsoft.ContainerService/managedClusters/feathr-aks`;
const PREFIX =
  'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod feathr/';

async function enableAddon(sandbox: RunningSandbox): Promise<{ clientId: string; objectId: string }> {
  const cluster = await arm(sandbox, 'GET', CLUSTER_ID, '2025-10-01');
  cluster.properties.addonProfiles = {
    azureKeyvaultSecretsProvider: {
      enabled: true,
      config: { enableSecretRotation: 'false', rotationPollInterval: '2m' },
    },
  };
  await arm(sandbox, 'PUT', CLUSTER_ID, '2025-10-01', cluster);
  const after = await arm(sandbox, 'GET', CLUSTER_ID, '2025-10-01');
  return after.properties.addonProfiles.azureKeyvaultSecretsProvider.identity;
}

describe('the probe fails with the real FailedMount texts', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('AKS add-on identity: driver absent, then Identity not found, then ForbiddenByFirewall with the node egress, then mounted', async () => {
    sandbox = await startWorld({ vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', secrets: { ...SECRETS } }] });
    const kube = port(sandbox, 'feathr-aks');
    await kube.ensureNamespace('feathr');
    const spc = (clientId: string) =>
      spcManifest('feathr', 'kv', VAULT, sandbox!.tenantId, {
        useVMManagedIdentity: 'true',
        userAssignedIdentityID: clientId,
      });
    const probe = (ns = 'feathr') =>
      kube.runProbe({
        namespace: ns,
        hostNetwork: true,
        vaultName: VAULT,
        secretProviderClass: 'kv',
        expectedObjects: ['FEATHRCI_HOST', 'CONN_STR'],
      });

    const absent = await probe();
    expect(absent.mount?.error).toContain(
      'driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers',
    );
    expect(absent.cleanedUp).toBe(true);

    const addon = await enableAddon(sandbox);
    expect((await kube.csiDriverState()).installedBy).toBe('aks-addon');
    // The add-on brought the CRDs: now the class can exist. A real identity of the tenant,
    // but not one attached to the cluster's nodes.
    await kube.applyManifest(spc('00000000-0000-0000-0000-00000000b002'));
    const wrongIdentity = await probe();
    expect(wrongIdentity.mount?.error).toContain(PREFIX);
    expect(wrongIdentity.mount?.error).toContain('"error_description":"Identity not found"');

    await kube.applyManifest(spc(addon.clientId));
    (sandbox.state.resources.get(vaultId(VAULT).toLowerCase())!.properties as Record<string, unknown>).networkAcls = {
      defaultAction: 'Deny',
      ipRules: [],
    };
    const blocked = await probe();
    const egress = sandbox.state.clusters.get('feathr-aks')!.nodes[0].position;
    // The pod never starts, so only the FailedMount event tells, with the node's egress address.
    expect(blocked.mount?.error).toContain(`Client address: ${(egress as { egressIp: string }).egressIp}`);
    expect(blocked.mount?.error).toContain('ForbiddenByFirewall');
    expect(blocked.mount?.error).toContain(`objectName:FEATHRCI-HOST`);

    (sandbox.state.resources.get(vaultId(VAULT).toLowerCase())!.properties as Record<string, unknown>).networkAcls = {
      defaultAction: 'Allow',
    };
    const noRole = await probe();
    expect(noRole.mount?.error).toContain('ForbiddenByRbac');
    await arm(
      sandbox,
      'PUT',
      `${vaultId(VAULT)}/providers/Microsoft.Authorization/roleAssignments/0b8c7a1e-9c61-4d7e-8d7a-6a2f0b9c1d11`,
      '2022-04-01',
      {
        properties: {
          roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
          principalId: addon.objectId,
          principalType: 'ServicePrincipal',
        },
      },
    );
    const logReads = () => sandbox!.state.requestLog.filter((entry) => /\/pods\/[^/]+\/log$/.test(entry.path)).length;
    const before = logReads();
    const mounted = await probe();
    expect(mounted.mount).toMatchObject({ ok: true });
    expect(mounted.mount!.objects.map((object: any) => object.state)).toEqual(['mounted', 'mounted']);
    // A probe that mounts secrets keeps its result (with their digests) in its log only.
    expect(logReads()).toBe(before + 1);
    // One that mounts none leaves its result in its termination message, read with the pod's status.
    const network = await kube.runProbe({ namespace: 'feathr', hostNetwork: true, vaultName: VAULT });
    expect([network.tcp443, network.tls]).toEqual([true, true]);
    expect(logReads()).toBe(before + 1);
    // The probe's synced Secret goes with its pod.
    expect(await kube.readSecret('feathr', 'kv-synced')).toBeNull();
    const events = await kube.warningEvents('feathr');
    expect(events.filter((event: any) => event.reason === 'FailedMount').length).toBe(4);
  });

  it('workload identity on feathr-eks: AADSTS70021 until the federated credential matches issuer and subject', async () => {
    sandbox = await startWorld({ vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', secrets: { ...SECRETS } }] });
    const kube = port(sandbox, 'feathr-eks');
    await kube.helmUpgradeInstall(PROVIDER_INSTALL(true, sandbox.chartRepo));
    await kube.ensureNamespace('feathr');
    const identityId = `${RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/feathr-kv-reader`;
    const identity = await arm(sandbox, 'PUT', identityId, '2024-11-30', { location: 'eastus' });
    await kube.applyManifest(
      spcManifest('feathr', 'kv', VAULT, sandbox.tenantId, { clientID: identity.properties.clientId }),
    );
    await kube.applyManifest(
      `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"feathr-online","namespace":"feathr","annotations":{"azure.workload.identity/client-id":"${identity.properties.clientId}"}}}`,
    );
    await arm(sandbox, 'PUT', `${identityId}/federatedIdentityCredentials/wrong`, '2024-11-30', {
      properties: {
        issuer: 'https://oidc.sandbox.test/feathr-eks',
        subject: 'system:serviceaccount:default:feathr-online',
        audiences: ['api://AzureADTokenExchange'],
      },
    });
    const spec = {
      namespace: 'feathr',
      hostNetwork: false,
      vaultName: VAULT,
      secretProviderClass: 'kv',
      serviceAccount: 'feathr-online',
      labels: { 'azure.workload.identity/use': 'true' },
    };
    const unmatched = await kube.runProbe(spec);
    expect(unmatched.mount?.error).toContain(
      "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://oidc.sandbox.test/feathr-eks'. Assertion Subject: 'system:serviceaccount:feathr:feathr-online'",
    );
    await arm(sandbox, 'PUT', `${identityId}/federatedIdentityCredentials/right`, '2024-11-30', {
      properties: {
        issuer: 'https://oidc.sandbox.test/feathr-eks',
        subject: 'system:serviceaccount:feathr:feathr-online',
        audiences: ['api://AzureADTokenExchange'],
      },
    });
    await arm(
      sandbox,
      'PUT',
      `${vaultId(VAULT)}/providers/Microsoft.Authorization/roleAssignments/1b8c7a1e-9c61-4d7e-8d7a-6a2f0b9c1d12`,
      '2022-04-01',
      {
        properties: {
          roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
          principalId: identity.properties.principalId,
          principalType: 'ServicePrincipal',
        },
      },
    );
    expect((await kube.runProbe(spec)).mount).toMatchObject({ ok: true });
  });

  it('service principal: the missing Secret, then a wrong client secret (AADSTS7000215), then a missing object (SecretNotFound)', async () => {
    sandbox = await startWorld({
      vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', secrets: { 'FEATHRCI-HOST': 'only-one' } }],
      roleAssignments: [{ principal: SERVICE_PRINCIPAL.name, role: 'Key Vault Secrets User', scope: vaultId(VAULT) }],
    });
    const kube = port(sandbox, 'feathr-eks');
    await kube.helmUpgradeInstall(PROVIDER_INSTALL(true, sandbox.chartRepo));
    await kube.ensureNamespace('feathr');
    await kube.applyManifest(spcManifest('feathr', 'kv', VAULT, sandbox.tenantId, {}));
    const spec = {
      namespace: 'feathr',
      hostNetwork: true,
      vaultName: VAULT,
      secretProviderClass: 'kv',
      nodePublishSecretRef: 'secrets-store-creds',
      expectedObjects: ['FEATHRCI_HOST', 'CONN_STR'],
    };
    const missing = await kube.runProbe(spec);
    expect(missing.mount?.error).toContain(
      'failed to find the secret secrets-store-creds in the namespace feathr with error: secrets "secrets-store-creds" not found',
    );
    const clientid = '00000000-0000-0000-0000-00000000b002';
    await kube.applySecret(
      'feathr',
      'secrets-store-creds',
      { clientid, clientsecret: 'not-the-secret' },
      { 'secrets-store.csi.k8s.io/used': 'true' },
    );
    const wrong = await kube.runProbe(spec);
    expect(wrong.mount?.error).toContain('AADSTS7000215: Invalid client secret provided.');
    expect(wrong.mount?.error).not.toContain('not-the-secret');
    await kube.applySecret(
      'feathr',
      'secrets-store-creds',
      { clientid, clientsecret: SERVICE_PRINCIPAL.clientSecret },
      { 'secrets-store.csi.k8s.io/used': 'true' },
    );
    const partial = await kube.runProbe(spec);
    expect(partial.mount?.ok).toBe(false);
    expect(partial.mount?.error).toContain('objectName:CONN-STR');
    expect(partial.mount?.error).toContain('SecretNotFound');
    // One missing object fails the whole mount: the pod never starts, so nothing is hashed.
    expect(partial.mount?.objects).toEqual([]);
  });

  it('a vault name that does not resolve fails DNS, TCP and the mount', async () => {
    sandbox = await startWorld({});
    const kube = port(sandbox, 'feathr-eks');
    const probe = await kube.runProbe({ namespace: 'legacy', hostNetwork: true, vaultName: 'feathr-kv-typo' });
    expect(probe).toMatchObject({
      dns: { host: 'feathr-kv-typo.vault.azure.net', addresses: [], error: 'NXDOMAIN' },
      tcp443: false,
      tls: false,
      cleanedUp: true,
    });
  });
});
