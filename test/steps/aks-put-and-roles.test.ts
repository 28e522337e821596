/**
 * ARM as it treats a managed-cluster PUT (it replaces writable properties, honours If-Match,
 * add-on keys ignore case) and role assignments (principalType must match the principal), and
 * the tool against both: If-Match with one re-read on 412, the add-on under the key the
 * cluster already has, the principal type corrected from ARM's UnmatchedPrincipalType.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../source/azure/clients.js';
import { addonSettings, putAddon, requireCluster } from '../../source/azure/aks.js';
import { assignRole, ROLE } from '../../source/azure/roles.js';
import { vaultId } from '../../source/azure/vaults.js';
import { azureConfig, startHarness, type Harness } from '../engine/helpers/sandbox-run.js';
import { aksAddonStep } from '../../source/steps/aks-addon.js';

const RG = 'feathr-rg';
let h: Harness;
let ctx: { azure: ReturnType<typeof createAzureClients>; signal: AbortSignal };
const clusterRecord = () =>
  [...h.sandbox.state.resources.values()].find(
    (r) => r.type === 'Microsoft.ContainerService/ManagedClusters' && r.name === 'feathr-aks',
  )!;

beforeAll(async () => {
  h = await startHarness();
  ctx = { azure: createAzureClients(h.connection), signal: new AbortController().signal };
});
afterAll(() => h.close());

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('managed cluster PUT', () => {
  it('replaces writable properties: tags and add-ons left out of the body are reset', async () => {
    const aks = ctx.azure.containerService.managedClusters;
    const cluster = await aks.get(RG, 'feathr-aks');
    await aks.createOrUpdate(
      RG,
      'feathr-aks',
      { ...cluster, tags: { team: 'data' }, addonProfiles: { azurepolicy: { enabled: true } } },
      { updateIntervalInMs: 2 },
    );
    const { tags: _tags, ...withoutTags } = await aks.get(RG, 'feathr-aks');
    const after = await aks.createOrUpdate(
      RG,
      'feathr-aks',
      { ...withoutTags, addonProfiles: undefined },
      { updateIntervalInMs: 2 },
    );
    expect(after.tags ?? {}).toEqual({});
    expect(after.addonProfiles ?? {}).toEqual({});
  });

  it('answers a stale If-Match with 412, and refuses one add-on under two casings', async () => {
    const aks = ctx.azure.containerService.managedClusters;
    const cluster = await aks.get(RG, 'feathr-aks');
    const stale = await failure(
      aks.createOrUpdate(RG, 'feathr-aks', cluster, { ifMatch: 'not-the-etag', updateIntervalInMs: 2 }),
    );
    expect(stale).toMatchObject({ statusCode: 412 });
    const twice = await failure(
      aks.createOrUpdate(
        RG,
        'feathr-aks',
        {
          ...cluster,
          addonProfiles: {
            azureKeyvaultSecretsProvider: { enabled: true },
            azurekeyvaultsecretsprovider: { enabled: true },
          },
        },
        { updateIntervalInMs: 2 },
      ),
    );
    expect(twice).toMatchObject({ statusCode: 400 });
  });

  it('the tool keeps a change made between its read and its PUT (If-Match, one re-read)', async () => {
    const stale = await requireCluster(ctx, RG, 'feathr-aks');
    const aks = ctx.azure.containerService.managedClusters;
    await aks.createOrUpdate(
      RG,
      'feathr-aks',
      { ...(await aks.get(RG, 'feathr-aks')), tags: { owner: 'someone-else' } },
      { updateIntervalInMs: 2 },
    );
    await putAddon(ctx, RG, stale, { enabled: true, enableSecretRotation: 'true', rotationPollInterval: '2m' });
    const now = await aks.get(RG, 'feathr-aks');
    expect(now.tags).toEqual({ owner: 'someone-else' });
    expect(addonSettings(now)?.enabled).toBe(true);
  });

  it('the add-on step finds the add-on under the key the cluster has, in any case, and keeps that key', async () => {
    const record = clusterRecord();
    const profiles = (record.properties as { addonProfiles: Record<string, unknown> }).addonProfiles;
    profiles.azurekeyvaultsecretsprovider = {
      enabled: false,
      config: { enableSecretRotation: 'false', rotationPollInterval: '2m' },
    };
    delete profiles.azureKeyvaultSecretsProvider;
    const step = { config: azureConfig(), azure: ctx.azure, signal: ctx.signal };
    const plan = await aksAddonStep.plan(step as never);
    expect(plan.changes[0]).toMatchObject({ mark: '~', field: 'enabled', from: 'false', to: 'true' });
    await aksAddonStep.apply(step as never, plan);
    expect(
      Object.keys((clusterRecord().properties as { addonProfiles: Record<string, unknown> }).addonProfiles),
    ).toEqual(['azurekeyvaultsecretsprovider']);
    expect(await aksAddonStep.verify(step as never)).toContain('enabled');
  });
});

describe('role assignments check principalType', () => {
  it('refuses a principalType that is not the principal’s, with ARM’s text', async () => {
    const operator = h.sandbox.state.operatorId;
    const scope = vaultId(ctx.azure, RG, 'feathr-kv-nothing').replace(/\/providers\/.*$/, '');
    const error = await failure(
      ctx.azure.authorization.roleAssignments.create(scope.replace(/^\//, ''), '5f7c1b8e-0000-4000-8000-000000000001', {
        roleDefinitionId: `/subscriptions/${h.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.keyVaultSecretsOfficer}`,
        principalId: operator,
        principalType: 'ServicePrincipal',
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'UnmatchedPrincipalType' });
    expect(error.message).toBe(
      `The PrincipalId '${operator.replace(/-/g, '')}' has type 'User' , which is different from specified PrinciaplType 'ServicePrincipal'.`,
    );
  });

  it('the tool retries with the type ARM names', async () => {
    const scope = `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/${RG}`;
    expect(
      await assignRole(ctx, scope, h.sandbox.state.operatorId, ROLE.keyVaultSecretsOfficer, 'ServicePrincipal'),
    ).toBe('created');
    const found = [];
    for await (const a of ctx.azure.authorization.roleAssignments.listForScope(scope.slice(1), {
      filter: `principalId eq '${h.sandbox.state.operatorId}'`,
    }))
      found.push(a);
    expect(found.find((a) => a.roleDefinitionId?.endsWith(ROLE.keyVaultSecretsOfficer))?.principalType).toBe('User');
  });
});
