/**
 * Subscriptions (read-only) and Microsoft.Resources resource groups. arm-resources 7 sends
 * `/resourcegroups` in lower case; the router matches paths case-insensitively.
 */
import type { ArmResource, WorldSubscription } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { lroResponse, operationResult, operationStatus } from './lro.js';
import type { ArmRoute } from './router.js';
import { clone, getResource, putResource, resourcesOfType } from './store.js';
import { softDeleteVault } from './vaults.js';
import { subscriptionOf, tokenTenant } from '../auth.js';

const RG = '/subscriptions/{sub}/resourceGroups/{rg}';
const RESOURCE_GROUP_TYPE = 'Microsoft.Resources/resourceGroups';

function subscriptionBody(subscription: WorldSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscription.id}`,
    subscriptionId: subscription.id,
    tenantId: subscription.tenantId,
    displayName: subscription.name,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    authorizationSource: 'RoleBased',
  };
}

function putGroup(call: ArmCall) {
  const { state } = call.ctx;
  const body = call.body();
  const name = call.params.rg;
  if (!/^[-\w._()]{1,90}$/.test(name) || name.endsWith('.')) {
    fail(
      400,
      'InvalidResourceGroup',
      `The provided resource group name '${name}' has these invalid characters: ... The name can only be a letter, digit, '-', '.', '(', ')' or '_'.`,
    );
  }
  if (typeof body.location !== 'string' || !body.location)
    fail(400, 'LocationRequired', 'The location property is required for this definition.');
  const id = `/subscriptions/${call.params.sub}/resourceGroups/${name}`;
  const existing = getResource(state, id);
  const location = body.location.toLowerCase().replace(/\s+/g, '');
  if (existing && existing.location !== location) {
    fail(
      409,
      'InvalidResourceGroupLocation',
      `Invalid resource group location '${body.location}'. The Resource group already exists in location '${existing.location}'.`,
    );
  }
  const group: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type: RESOURCE_GROUP_TYPE,
    location,
    tags: body.tags ?? existing?.tags ?? {},
    ...((body.managedBy ?? existing?.managedBy) ? { managedBy: body.managedBy ?? existing?.managedBy } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
  putResource(state, group);
  return json(existing ? 200 : 201, clone(group));
}

function requireGroup(call: ArmCall): ArmResource {
  const group = getResource(call.ctx.state, `/subscriptions/${call.params.sub}/resourceGroups/${call.params.rg}`);
  if (!group) fail(404, 'ResourceGroupNotFound', `Resource group '${call.params.rg}' could not be found.`);
  return group;
}

function deleteGroup(call: ArmCall) {
  const { state } = call.ctx;
  const group = requireGroup(call);
  const prefix = `${group.id.toLowerCase()}/`;
  // Deleting a group soft-deletes its vaults, as Azure does (their names stay taken).
  for (const vault of resourcesOfType(state, 'Microsoft.KeyVault/vaults', group.id))
    softDeleteVault(state, vault, call.ctx.now());
  for (const key of [...state.resources.keys()])
    if (key === group.id.toLowerCase() || key.startsWith(prefix)) state.resources.delete(key);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Resources',
    location: group.location ?? 'global',
    asyncOperation: false,
    locationHeader: true,
  });
}

function subscriptionsOfTenant(call: ArmCall): WorldSubscription[] {
  const tenant = tokenTenant(call.req.headers.authorization) ?? call.ctx.state.tenantId;
  return [...call.ctx.state.subscriptions.values()].filter(
    (sub) => sub.tenantId.toLowerCase() === tenant.toLowerCase(),
  );
}

export const resourceGroupRoutes: ArmRoute[] = [
  // Subscriptions_List: the ones of the token's tenant.
  {
    methods: ['GET'],
    pattern: '/subscriptions',
    action: null,
    handle: (call) => json(200, { value: subscriptionsOfTenant(call).map(subscriptionBody) }),
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}',
    action: null,
    handle: (call) => json(200, subscriptionBody(subscriptionOf(call.ctx.state, call.params.sub)!)),
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/providers/{ns}/locations/{loc}/operationStatuses/{operationId}',
    action: null,
    handle: operationStatus,
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/providers/{ns}/locations/{loc}/operationResults/{operationId}',
    action: null,
    handle: operationResult,
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/resourceGroups',
    action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(call.ctx.state, RESOURCE_GROUP_TYPE, `/subscriptions/${call.params.sub}`).map(clone),
      }),
  },
  {
    methods: ['GET'],
    pattern: RG,
    action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
    handle: (call) => json(200, clone(requireGroup(call))),
  },
  {
    methods: ['HEAD'],
    pattern: RG,
    action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
    handle: (call) => ({
      status: getResource(call.ctx.state, `/subscriptions/${call.params.sub}/resourceGroups/${call.params.rg}`)
        ? 204
        : 404,
    }),
  },
  { methods: ['PUT'], pattern: RG, action: 'Microsoft.Resources/subscriptions/resourceGroups/write', handle: putGroup },
  {
    methods: ['DELETE'],
    pattern: RG,
    action: 'Microsoft.Resources/subscriptions/resourceGroups/delete',
    handle: deleteGroup,
  },
];
