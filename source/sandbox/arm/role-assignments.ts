/**
 * Microsoft.Authorization at any scope: role assignments (PUT with a GUID name; 409
 * RoleAssignmentExists for an equivalent assignment under another name;
 * RoleAssignmentUpdateNotPermitted when a name is reused for something else; PrincipalNotFound
 * for an unknown principal unless principalType is given), list with `$filter=atScope()` /
 * `principalId eq '…'`, DELETE (200 with the body, or 204); role definitions; and the caller's
 * own `permissions`. New assignments reach the data plane after `rbacPropagationSeconds`.
 */
import type { ArmResource } from '../world/state.js';
import { fail, json, nowIso, type ArmCall } from './call.js';
import { permissionsAt, ROLE_ASSIGNMENT_TYPE, scopeContains } from './rbac.js';
import { BUILT_IN_ROLES, findRoleDefinition, roleDefinitionBody } from './role-definitions.js';
import type { ArmRoute } from './router.js';
import { clone, deleteResource, getResource, putResource, resourcesOfType, sameId } from './store.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function scopeOf(call: ArmCall): string {
  return call.params.scope === '' ? '/' : call.params.scope;
}

/** A role assignment's scope must exist: subscription, resource group or resource. */
function requireScope(call: ArmCall, scope: string): void {
  const { state } = call.ctx;
  const segments = scope.split('/').filter(Boolean);
  if (segments.length <= 2) return;
  if (segments.length === 4) {
    if (!getResource(state, scope))
      fail(404, 'ResourceGroupNotFound', `Resource group '${segments[3]}' could not be found.`);
    return;
  }
  if (!getResource(state, `/${segments.slice(0, 4).join('/')}`))
    fail(404, 'ResourceGroupNotFound', `Resource group '${segments[3]}' could not be found.`);
  if (!getResource(state, scope))
    fail(
      404,
      'ResourceNotFound',
      `The Resource '${segments.slice(5).join('/')}' under resource group '${segments[3]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
}

function assignmentId(scope: string, name: string): string {
  return `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

function putAssignment(call: ArmCall) {
  const { state } = call.ctx;
  const scope = scopeOf(call);
  const name = call.params.name;
  if (!GUID.test(name))
    fail(
      400,
      'InvalidRoleAssignmentId',
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    );
  requireScope(call, scope);
  const requested = (call.body().properties ?? {}) as {
    roleDefinitionId?: string;
    principalId?: string;
    principalType?: string;
    description?: string;
  };
  const definition = findRoleDefinition(String(requested.roleDefinitionId ?? ''));
  if (!requested.roleDefinitionId || !definition) {
    fail(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${String(requested.roleDefinitionId ?? '')
        .split('/')
        .pop()}' does not exist.`,
    );
  }
  const principalId = String(requested.principalId ?? '');
  const principal =
    state.principals.get(principalId) ??
    [...state.principals.values()].find((candidate) => candidate.objectId.toLowerCase() === principalId.toLowerCase());
  if (!principal && !requested.principalType) {
    fail(
      400,
      'PrincipalNotFound',
      `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${state.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    );
  }
  if (principal && requested.principalType && requested.principalType.toLowerCase() !== principal.type.toLowerCase()) {
    // Real wording, typo included (Azure/modern-web-app-pattern-dotnet#129).
    fail(
      400,
      'UnmatchedPrincipalType',
      `The PrincipalId '${principalId.replace(/-/g, '')}' has type '${principal.type}' , which is different from specified PrinciaplType '${requested.principalType}'.`,
    );
  }
  const id = assignmentId(scope, name);
  const same = (assignment: ArmResource) => {
    const p = assignment.properties as Record<string, string>;
    return (
      sameId(p.principalId, principalId) &&
      findRoleDefinition(p.roleDefinitionId)?.name === definition.name &&
      sameId(p.scope, scope)
    );
  };
  const existing = getResource(state, id);
  if (existing && !same(existing))
    fail(
      400,
      'RoleAssignmentUpdateNotPermitted',
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    );
  const equivalent = resourcesOfType(state, ROLE_ASSIGNMENT_TYPE).find(
    (assignment) => !sameId(assignment.id, id) && same(assignment),
  );
  if (equivalent)
    fail(409, 'RoleAssignmentExists', 'The role assignment already exists.', {
      details: [{ code: 'RoleAssignmentExists', message: `The role assignment already exists: ${equivalent.name}.` }],
    });
  if (existing) return json(200, clone(existing));
  const now = nowIso(call.ctx);
  const assignment = putResource(state, {
    id,
    name,
    type: ROLE_ASSIGNMENT_TYPE,
    properties: {
      roleDefinitionId: requested.roleDefinitionId,
      principalId,
      principalType: requested.principalType ?? principal?.type ?? 'ServicePrincipal',
      scope,
      condition: null,
      conditionVersion: null,
      description: requested.description ?? null,
      createdOn: now,
      updatedOn: now,
      createdBy: call.principalId,
      updatedBy: call.principalId,
      delegatedManagedIdentityResourceId: null,
    },
  });
  state.roleAssignmentEffectiveAt.set(
    assignment.id.toLowerCase(),
    call.ctx.now() + state.rbacPropagationSeconds * 1000,
  );
  return json(201, clone(assignment));
}

/**
 * $filter semantics: none → assignments at, above and below the scope; `atScope()` → at or
 * above; `principalId eq '…'` / `assignedTo('…')` → only that principal.
 */
function listAssignments(call: ArmCall) {
  const scope = scopeOf(call);
  const filter = call.req.url.searchParams.get('$filter') ?? '';
  const atScope = /atScope\(\)/i.test(filter);
  const principal = /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1] ?? /assignedTo\('([^']+)'\)/i.exec(filter)?.[1];
  const value = resourcesOfType(call.ctx.state, ROLE_ASSIGNMENT_TYPE).filter((assignment) => {
    const p = assignment.properties as Record<string, string>;
    const above = scopeContains(p.scope, scope);
    const below = scopeContains(scope, p.scope);
    if (atScope ? !above : !(above || below)) return false;
    return !principal || sameId(p.principalId, principal);
  });
  return json(200, { value: value.map(clone) });
}

function requireAssignment(call: ArmCall): ArmResource {
  const assignment = getResource(call.ctx.state, assignmentId(scopeOf(call), call.params.name));
  if (!assignment) fail(404, 'RoleAssignmentNotFound', `The role assignment '${call.params.name}' is not found.`);
  return assignment;
}

function deleteAssignment(call: ArmCall) {
  const assignment = getResource(call.ctx.state, assignmentId(scopeOf(call), call.params.name));
  if (!assignment) return { status: 204 };
  deleteResource(call.ctx.state, assignment.id);
  call.ctx.state.roleAssignmentEffectiveAt.delete(assignment.id.toLowerCase());
  return json(200, clone(assignment));
}

function listDefinitions(call: ArmCall) {
  const filter = call.req.url.searchParams.get('$filter') ?? '';
  const roleName = /roleName\s+eq\s+'([^']+)'/i.exec(filter)?.[1];
  const definitions = BUILT_IN_ROLES.filter(
    (definition) => !roleName || definition.roleName.toLowerCase() === roleName.toLowerCase(),
  );
  return json(200, {
    value: definitions.map((definition) => roleDefinitionBody(definition, call.ctx.state.subscriptionId)),
  });
}

function getDefinition(call: ArmCall) {
  const definition = findRoleDefinition(call.params.id);
  if (!definition)
    fail(
      404,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${call.params.id}' does not exist.`,
    );
  return json(200, roleDefinitionBody(definition, call.ctx.state.subscriptionId));
}

const AUTH = '{scope*}/providers/Microsoft.Authorization';

export const authorizationRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern: `${AUTH}/roleAssignments`,
    action: 'Microsoft.Authorization/roleAssignments/read',
    scope: scopeOf,
    handle: listAssignments,
  },
  {
    methods: ['GET'],
    pattern: `${AUTH}/roleAssignments/{name}`,
    action: 'Microsoft.Authorization/roleAssignments/read',
    scope: scopeOf,
    handle: (call) => json(200, clone(requireAssignment(call))),
  },
  {
    methods: ['PUT'],
    pattern: `${AUTH}/roleAssignments/{name}`,
    action: 'Microsoft.Authorization/roleAssignments/write',
    scope: scopeOf,
    handle: putAssignment,
  },
  {
    methods: ['DELETE'],
    pattern: `${AUTH}/roleAssignments/{name}`,
    action: 'Microsoft.Authorization/roleAssignments/delete',
    scope: scopeOf,
    handle: deleteAssignment,
  },
  { methods: ['GET'], pattern: `${AUTH}/roleDefinitions`, action: null, handle: listDefinitions },
  { methods: ['GET'], pattern: `${AUTH}/roleDefinitions/{id}`, action: null, handle: getDefinition },
  // Anyone may ask for their own permissions; ARM checks nothing here.
  {
    methods: ['GET'],
    pattern: `${AUTH}/permissions`,
    action: null,
    handle: (call) => json(200, { value: permissionsAt(call.ctx.state, call.principalId, scopeOf(call)) }),
  },
];
