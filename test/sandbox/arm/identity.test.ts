import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { clientsFor, failure, LRO, request, RG, rgPath, subPath, withSandbox } from './helpers.js';

const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const SECRETS_OFFICER = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';
let sandbox: RunningSandbox;
let clients: ReturnType<typeof clientsFor>;
let strict: ReturnType<typeof clientsFor>;
const roleId = (guid: string) =>
  `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

beforeAll(async () => {
  sandbox = await withSandbox({ rbacPropagationSeconds: 30 });
  clients = clientsFor(sandbox);
  strict = clientsFor(sandbox, 'operator', { retry: false });
});
afterAll(() => sandbox.close());

describe('Microsoft.ContainerService/managedClusters through arm-containerservice 25', () => {
  it('reports OIDC on and the add-on off, then enables the add-on with GET → edit → PUT', async () => {
    const cluster = await clients.containers.managedClusters.get(RG, 'feathr-aks');
    expect(cluster.oidcIssuerProfile?.enabled).toBe(true);
    expect(cluster.oidcIssuerProfile?.issuerURL).toMatch(/^https:\/\/eastus\.oic\.prod-aks\.azure\.com\//);
    expect(cluster.nodeResourceGroup).toBe('MC_feathr-rg_feathr-aks_eastus');
    expect(cluster.addonProfiles?.azureKeyvaultSecretsProvider).toBeUndefined();

    cluster.addonProfiles = {
      ...(cluster.addonProfiles ?? {}),
      azureKeyvaultSecretsProvider: {
        enabled: true,
        config: { enableSecretRotation: 'true', rotationPollInterval: '2m' },
      },
    };
    cluster.securityProfile = { workloadIdentity: { enabled: true } };
    const updated = await clients.containers.managedClusters.createOrUpdate(RG, 'feathr-aks', cluster, LRO);
    const addon = updated.addonProfiles?.azureKeyvaultSecretsProvider;
    expect(addon?.enabled).toBe(true);
    expect(addon?.config).toEqual({ enableSecretRotation: 'true', rotationPollInterval: '2m' });
    expect(addon?.identity?.resourceId).toBe(
      `/subscriptions/${sandbox.subscriptionId}/resourcegroups/MC_feathr-rg_feathr-aks_eastus/providers/Microsoft.ManagedIdentity/userAssignedIdentities/azurekeyvaultsecretsprovider-feathr-aks`,
    );
    expect(updated.securityProfile?.workloadIdentity?.enabled).toBe(true);
    expect(updated.provisioningState).toBe('Succeeded');
    const principal = sandbox.state.principals.get(addon!.identity!.objectId!);
    expect(principal?.clientId).toBe(addon?.identity?.clientId);
    expect(principal?.position).toMatchObject({
      kind: 'vnet',
      privateIp: '10.10.0.4',
      vnetId: `${rgPath(sandbox)}/providers/Microsoft.Network/virtualNetworks/aks-vnet`,
    });
    const identity = await clients.msi.userAssignedIdentities.get(
      'MC_feathr-rg_feathr-aks_eastus',
      'azurekeyvaultsecretsprovider-feathr-aks',
    );
    expect(identity.clientId).toBe(addon?.identity?.clientId);
  });

  it('refuses non-string add-on config and turning the OIDC issuer off', async () => {
    const cluster = await clients.containers.managedClusters.get(RG, 'feathr-aks');
    const body = {
      location: 'eastus',
      properties: {
        oidcIssuerProfile: { enabled: true },
        addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: true } } },
      },
    };
    const res = await request(
      sandbox,
      'PUT',
      rgPath(sandbox, '/providers/Microsoft.ContainerService/managedClusters/feathr-aks?api-version=2026-04-01'),
      { token: sandbox.tokenFor('operator'), body },
    );
    expect(res.status).toBe(400);
    cluster.oidcIssuerProfile = { enabled: false };
    const off = await failure(strict.containers.managedClusters.createOrUpdate(RG, 'feathr-aks', cluster, LRO));
    expect(off.statusCode).toBe(400);
  });
});

describe('Microsoft.ManagedIdentity through arm-msi', () => {
  it('creates an identity (registering a principal) and a federated credential', async () => {
    const identity = await clients.msi.userAssignedIdentities.createOrUpdate(RG, 'feathr-kv-reader', {
      location: 'eastus',
      tags: { app: 'feathr' },
    });
    expect(identity).toMatchObject({ name: 'feathr-kv-reader', tenantId: sandbox.tenantId, tags: { app: 'feathr' } });
    expect(sandbox.state.principals.get(identity.principalId!)?.clientId).toBe(identity.clientId);
    // Its token is an app token for that identity.
    const claims = JSON.parse(
      Buffer.from(sandbox.tokenFor('feathr-kv-reader').split('.')[1]!, 'base64url').toString('utf8'),
    );
    expect(claims).toMatchObject({
      oid: identity.principalId,
      appid: identity.clientId,
      idtyp: 'app',
      tid: sandbox.tenantId,
    });
    const credential = await clients.msi.federatedIdentityCredentials.createOrUpdate(
      RG,
      'feathr-kv-reader',
      'feathr-online',
      {
        issuer: 'https://oidc.sandbox.test/feathr-eks',
        subject: 'system:serviceaccount:feathr:feathr-online',
        audiences: ['api://AzureADTokenExchange'],
      },
    );
    expect(credential).toMatchObject({ name: 'feathr-online', subject: 'system:serviceaccount:feathr:feathr-online' });
    const bad = await failure(
      strict.msi.federatedIdentityCredentials.createOrUpdate(RG, 'feathr-kv-reader', 'bad', {
        issuer: 'http://insecure',
        subject: 's',
        audiences: ['api://AzureADTokenExchange'],
      }),
    );
    expect(bad.statusCode).toBe(400);
    const names: string[] = [];
    for await (const entry of clients.msi.federatedIdentityCredentials.list(RG, 'feathr-kv-reader'))
      names.push(entry.name!);
    expect(names).toEqual(['feathr-online']);
  });
});

describe('Microsoft.Authorization through arm-authorization 9', () => {
  it('creates a role assignment at vault scope, 409 RoleAssignmentExists under another name, RoleAssignmentUpdateNotPermitted on reuse', async () => {
    await clients.keyVault.vaults.createOrUpdate(
      RG,
      'feathr-kv-ra',
      { location: 'eastus', properties: { tenantId: sandbox.tenantId, sku: { family: 'A', name: 'standard' } } },
      LRO,
    );
    const identity = await clients.msi.userAssignedIdentities.get(RG, 'feathr-kv-reader');
    const scope = `subscriptions/${sandbox.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/feathr-kv-ra`;
    const name = '11111111-2222-4333-8444-555555555555';
    const created = await clients.authorization.roleAssignments.create(scope, name, {
      roleDefinitionId: roleId(SECRETS_USER),
      principalId: identity.principalId!,
      principalType: 'ServicePrincipal',
    });
    expect(created).toMatchObject({ name, scope: `/${scope}`, principalId: identity.principalId });
    const effectiveAt = sandbox.state.roleAssignmentEffectiveAt.get(created.id!.toLowerCase())!;
    expect(effectiveAt - Date.now()).toBeGreaterThan(25_000);
    // The same name and content again is idempotent.
    expect(
      (
        await clients.authorization.roleAssignments.create(scope, name, {
          roleDefinitionId: roleId(SECRETS_USER),
          principalId: identity.principalId!,
        })
      ).name,
    ).toBe(name);
    const exists = await failure(
      strict.authorization.roleAssignments.create(scope, '99999999-2222-4333-8444-555555555555', {
        roleDefinitionId: roleId(SECRETS_USER),
        principalId: identity.principalId!,
      }),
    );
    expect(exists).toMatchObject({ statusCode: 409, code: 'RoleAssignmentExists' });
    const reuse = await failure(
      strict.authorization.roleAssignments.create(scope, name, {
        roleDefinitionId: roleId(SECRETS_OFFICER),
        principalId: identity.principalId!,
      }),
    );
    expect(reuse).toMatchObject({ statusCode: 400, code: 'RoleAssignmentUpdateNotPermitted' });
    const unknown = await failure(
      strict.authorization.roleAssignments.create(scope, '88888888-2222-4333-8444-555555555555', {
        roleDefinitionId: roleId(SECRETS_USER),
        principalId: '77777777-2222-4333-8444-555555555555',
      }),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: 'PrincipalNotFound' });
    const typed = await clients.authorization.roleAssignments.create(scope, '88888888-2222-4333-8444-555555555555', {
      roleDefinitionId: roleId(SECRETS_USER),
      principalId: '77777777-2222-4333-8444-555555555555',
      principalType: 'ServicePrincipal',
    });
    expect(typed.principalType).toBe('ServicePrincipal');
    const noRole = await failure(
      strict.authorization.roleAssignments.create(scope, '66666666-2222-4333-8444-555555555555', {
        roleDefinitionId: roleId('00000000-0000-0000-0000-000000000000'),
        principalId: identity.principalId!,
      }),
    );
    expect(noRole).toMatchObject({ statusCode: 400, code: 'RoleDefinitionDoesNotExist' });
  });

  it('lists at any scope with atScope() and principalId filters, and deletes with the body', async () => {
    const identity = await clients.msi.userAssignedIdentities.get(RG, 'feathr-kv-reader');
    const vaultScope = `subscriptions/${sandbox.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/feathr-kv-ra`;
    const atVault: string[] = [];
    for await (const entry of clients.authorization.roleAssignments.listForScope(vaultScope, { filter: 'atScope()' }))
      atVault.push(entry.principalId!);
    // At or above the vault: the operator's Owner on the subscription and the two vault assignments.
    expect(atVault).toEqual(expect.arrayContaining([sandbox.state.operatorId, identity.principalId]));
    const atGroup: string[] = [];
    for await (const entry of clients.authorization.roleAssignments.listForScope(
      `subscriptions/${sandbox.subscriptionId}/resourceGroups/${RG}`,
      { filter: 'atScope()' },
    ))
      atGroup.push(entry.principalId!);
    expect(atGroup).not.toContain(identity.principalId);
    const mine: string[] = [];
    for await (const entry of clients.authorization.roleAssignments.listForSubscription({
      filter: `principalId eq '${identity.principalId}'`,
    }))
      mine.push(entry.scope!);
    expect(mine).toEqual([`/${vaultScope}`]);
    const deleted = await clients.authorization.roleAssignments.delete(
      vaultScope,
      '88888888-2222-4333-8444-555555555555',
    );
    expect(deleted.principalId).toBe('77777777-2222-4333-8444-555555555555');
  });

  it('derives permissions from role assignments: Owner has no Key Vault data actions', async () => {
    const owner = await clients.authorization.permissions.listForResourceGroup(RG).next();
    expect(owner.value.actions).toEqual(['*']);
    expect(owner.value.dataActions).toEqual([]);
    const readerClients = clientsFor(sandbox, 'feathr-kv-reader');
    const perms: { dataActions?: string[] }[] = [];
    for await (const entry of readerClients.authorization.permissions.listForResource(
      RG,
      'Microsoft.KeyVault',
      '',
      'vaults',
      'feathr-kv-ra',
    ))
      perms.push(entry);
    expect(perms.flatMap((entry) => entry.dataActions ?? [])).toContain(
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
    );
  });

  it('answers 403 AuthorizationFailed to a principal without a role granting the write', async () => {
    const reader = clientsFor(sandbox, 'feathr-kv-reader', { retry: false });
    const error = await failure(reader.resources.resourceGroups.createOrUpdate('denied-rg', { location: 'eastus' }));
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(error.message).toContain(
      "does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/write'",
    );
    const noRead = await failure(reader.network.virtualNetworks.get(RG, 'aks-vnet'));
    expect(noRead).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });
});

describe('resource groups through arm-resources 7', () => {
  it('creates, gets (lower-case /resourcegroups path), checks existence, refuses a location change, deletes with its contents', async () => {
    const group = await clients.resources.resourceGroups.createOrUpdate('temp-rg', {
      location: 'westeurope',
      tags: { purpose: 'test' },
    });
    expect(group).toMatchObject({
      name: 'temp-rg',
      location: 'westeurope',
      tags: { purpose: 'test' },
      properties: { provisioningState: 'Succeeded' },
    });
    expect((await clients.resources.resourceGroups.get('TEMP-RG')).name).toBe('temp-rg');
    expect(sandbox.state.requestLog.some((entry) => entry.path.includes('/resourcegroups/TEMP-RG'))).toBe(true);
    expect((await clients.resources.resourceGroups.checkExistence('temp-rg')).body).toBe(true);
    const moved = await failure(strict.resources.resourceGroups.createOrUpdate('temp-rg', { location: 'eastus' }));
    expect(moved).toMatchObject({ statusCode: 409, code: 'InvalidResourceGroupLocation' });
    await clients.msi.userAssignedIdentities.createOrUpdate('temp-rg', 'temp-id', { location: 'westeurope' });
    await clients.resources.resourceGroups.beginDeleteAndWait('temp-rg', LRO);
    expect((await failure(strict.resources.resourceGroups.get('temp-rg'))).code).toBe('ResourceGroupNotFound');
    expect((await failure(strict.msi.userAssignedIdentities.get('temp-rg', 'temp-id'))).statusCode).toBe(404);
    const res = await request(sandbox, 'GET', subPath(sandbox, '/resourceGroups?api-version=2021-04-01'), {
      token: sandbox.tokenFor('operator'),
    });
    expect(res.body.value.map((entry: { name: string }) => entry.name)).toEqual(
      expect.arrayContaining(['feathr-rg', 'MC_feathr-rg_feathr-aks_eastus']),
    );
  });
});
