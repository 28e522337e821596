/**
 * Microsoft.ManagedIdentity: user-assigned identities (synchronous 201/200; creating one
 * registers a principal, so it gets a token and role assignments can name it) and their
 * federated identity credentials (issuer, subject, audiences; at most 20 per identity).
 */
import { randomUUID } from 'node:crypto';
import { registerPrincipal } from '../auth.js';
import type { ArmResource, NetworkPosition, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import type { ArmRoute } from './router.js';
import {
  clone,
  deleteTree,
  getResource,
  notFound,
  parentNotFound,
  props,
  putResource,
  resourcesOfType,
  sameId,
} from './store.js';

const IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';
const FEDERATED_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials';
const IDENTITIES =
  '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities';
const IDENTITY = `${IDENTITIES}/{name}`;
const CREDENTIAL = `${IDENTITY}/federatedIdentityCredentials/{credential}`;

/** Where a new identity acts from until something (a cluster) places it: a host on the internet. */
const UNPLACED: NetworkPosition = { kind: 'internet', publicIp: '198.51.100.23' };

/** MSI ids use `resourcegroups` in lower case (see the MSI examples). */
function identityId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}

/** Creates (or returns) a user-assigned identity and its principal. Also used by the AKS add-on. */
export function ensureIdentity(
  state: SandboxState,
  resourceGroup: string,
  name: string,
  location: string,
  options: { tags?: Record<string, string>; position?: NetworkPosition } = {},
): ArmResource {
  const id = identityId(state.subscriptionId, resourceGroup, name);
  const existing = getResource(state, id);
  if (existing) {
    if (options.tags) existing.tags = options.tags;
    return existing;
  }
  const principal = registerPrincipal(state, {
    displayName: name,
    type: 'ServicePrincipal',
    position: options.position ?? UNPLACED,
    objectId: randomUUID(),
    clientId: randomUUID(),
  });
  return putResource(state, {
    id,
    name,
    type: IDENTITY_TYPE,
    location,
    tags: options.tags ?? {},
    properties: {
      clientId: principal.clientId,
      principalId: principal.objectId,
      tenantId: state.tenantId,
      isolationScope: 'None',
    },
  });
}

function putIdentity(call: ArmCall) {
  const { state } = call.ctx;
  const body = call.body();
  if (typeof body.location !== 'string')
    fail(400, 'LocationRequired', 'The location property is required for this definition.');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/.test(call.params.name))
    fail(
      400,
      'InvalidResourceName',
      `Resource name ${call.params.name} is invalid. The name can be between 3 and 128 characters, start with a letter or number, and contain letters, numbers, hyphens and underscores.`,
    );
  const existed = !!getResource(state, identityId(state.subscriptionId, call.params.rg, call.params.name));
  const identity = ensureIdentity(state, call.params.rg, call.params.name, body.location.toLowerCase(), {
    tags: body.tags ?? {},
  });
  return json(existed ? 200 : 201, clone(identity));
}

function requireIdentity(call: ArmCall): ArmResource {
  const identity = getResource(
    call.ctx.state,
    identityId(call.ctx.state.subscriptionId, call.params.rg, call.params.name),
  );
  if (!identity) notFound(IDENTITY_TYPE, call.params.name, call.params.rg);
  return identity;
}

function deleteIdentity(call: ArmCall) {
  const { state } = call.ctx;
  const identity = getResource(state, identityId(state.subscriptionId, call.params.rg, call.params.name));
  if (!identity) return { status: 204 };
  // The service principal goes with the identity: its token stops working.
  const principal = state.principals.get(String(props(identity).principalId));
  if (principal) {
    state.tokens.delete(principal.token);
    state.principals.delete(principal.objectId);
  }
  deleteTree(state, identity.id);
  return { status: 200 };
}

function identityOf(call: ArmCall, action: string): ArmResource {
  const id = identityId(call.ctx.state.subscriptionId, call.params.rg, call.params.name);
  const identity = getResource(call.ctx.state, id);
  if (!identity) parentNotFound(action, FEDERATED_TYPE, id);
  return identity;
}

function putCredential(call: ArmCall) {
  const { state } = call.ctx;
  const identity = identityOf(call, 'write');
  const name = call.params.credential;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/.test(name))
    fail(
      400,
      'BadRequest',
      `Federated identity credential name '${name}' is invalid: 3-120 characters of letters, numbers, '-' and '_', starting with a letter or number.`,
    );
  const requested = (call.body().properties ?? {}) as { issuer?: unknown; subject?: unknown; audiences?: unknown };
  if (typeof requested.issuer !== 'string' || !/^https:\/\/\S+$/.test(requested.issuer))
    fail(400, 'BadRequest', "The issuer must be a valid URL starting with 'https://'.");
  if (typeof requested.subject !== 'string' || !requested.subject) fail(400, 'BadRequest', 'The subject is required.');
  if (!Array.isArray(requested.audiences) || requested.audiences.length !== 1)
    fail(400, 'BadRequest', 'Exactly one audience is required, e.g. api://AzureADTokenExchange.');
  const id = `${identity.id}/federatedIdentityCredentials/${name}`;
  const siblings = resourcesOfType(state, FEDERATED_TYPE, identity.id).filter(
    (credential) => !sameId(credential.id, id),
  );
  const clash = siblings.find(
    (credential) => props(credential).issuer === requested.issuer && props(credential).subject === requested.subject,
  );
  if (clash)
    fail(
      400,
      'BadRequest',
      `A federated identity credential with issuer '${requested.issuer}' and subject '${requested.subject}' already exists on this identity ('${clash.name}').`,
    );
  if (siblings.length >= 20) fail(400, 'BadRequest', 'An identity can have at most 20 federated identity credentials.');
  const existed = !!getResource(state, id);
  const credential = putResource(state, {
    id,
    name,
    type: FEDERATED_TYPE,
    properties: { issuer: requested.issuer, subject: requested.subject, audiences: requested.audiences },
  });
  return json(existed ? 200 : 201, clone(credential));
}

function requireCredential(call: ArmCall): ArmResource {
  const identity = identityOf(call, 'read');
  const credential = getResource(
    call.ctx.state,
    `${identity.id}/federatedIdentityCredentials/${call.params.credential}`,
  );
  if (!credential) fail(404, 'NotFound', `Federated identity credential '${call.params.credential}' not found.`);
  return credential;
}

export const identityRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern: IDENTITIES,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(call.ctx.state, IDENTITY_TYPE)
          .filter((identity) => identity.id.toLowerCase().includes(`/resourcegroups/${call.params.rg.toLowerCase()}/`))
          .map(clone),
      }),
  },
  {
    methods: ['GET'],
    pattern: IDENTITY,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/read',
    handle: (call) => json(200, clone(requireIdentity(call))),
  },
  {
    methods: ['PUT'],
    pattern: IDENTITY,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/write',
    handle: putIdentity,
  },
  {
    methods: ['DELETE'],
    pattern: IDENTITY,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/delete',
    handle: deleteIdentity,
  },
  {
    methods: ['GET'],
    pattern: `${IDENTITY}/federatedIdentityCredentials`,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
    handle: (call) =>
      json(200, { value: resourcesOfType(call.ctx.state, FEDERATED_TYPE, identityOf(call, 'read').id).map(clone) }),
  },
  {
    methods: ['GET'],
    pattern: CREDENTIAL,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
    handle: (call) => json(200, clone(requireCredential(call))),
  },
  {
    methods: ['PUT'],
    pattern: CREDENTIAL,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
    handle: putCredential,
  },
  {
    methods: ['DELETE'],
    pattern: CREDENTIAL,
    action: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
    handle: (call) => {
      const identity = identityOf(call, 'delete');
      return {
        status: call.ctx.state.resources.delete(
          `${identity.id}/federatedIdentityCredentials/${call.params.credential}`.toLowerCase(),
        )
          ? 200
          : 204,
      };
    },
  },
];
