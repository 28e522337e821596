/**
 * Built-in role definitions the sandbox knows, with their real actions and dataActions
 * (Azure built-in roles reference), so permission checks are real. Note Owner has no Key Vault
 * data actions: an Owner still needs a Key Vault data role to read secrets on an RBAC vault.
 */

export interface RolePermission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinition {
  /** The GUID that names the definition. */
  name: string;
  roleName: string;
  description: string;
  permissions: RolePermission[];
}

const KV_CONTROL_READS = [
  'Microsoft.Authorization/*/read',
  'Microsoft.Insights/alertRules/*',
  'Microsoft.Resources/deployments/*',
  'Microsoft.Resources/subscriptions/resourceGroups/read',
  'Microsoft.Support/*',
  'Microsoft.KeyVault/checkNameAvailability/read',
  'Microsoft.KeyVault/deletedVaults/read',
  'Microsoft.KeyVault/locations/*/read',
  'Microsoft.KeyVault/vaults/*/read',
  'Microsoft.KeyVault/operations/read',
];

function role(
  name: string,
  roleName: string,
  description: string,
  permission: Partial<RolePermission>,
): RoleDefinition {
  return {
    name,
    roleName,
    description,
    permissions: [{ actions: [], notActions: [], dataActions: [], notDataActions: [], ...permission }],
  };
}

const ROLE_IDS = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  keyVaultAdministrator: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  keyVaultContributor: 'f25e0fa2-a7c8-4377-a976-54943a77a395',
  keyVaultReader: '21090545-7ca7-4776-b22c-e363652d74d2',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
} as const;

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  role(
    ROLE_IDS.owner,
    'Owner',
    'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    { actions: ['*'] },
  ),
  role(
    ROLE_IDS.contributor,
    'Contributor',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.',
    {
      actions: ['*'],
      notActions: [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
        'Microsoft.Compute/galleries/share/action',
        'Microsoft.Purview/consents/write',
        'Microsoft.Purview/consents/delete',
        'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
        'Microsoft.Subscription/cancel/action',
        'Microsoft.Subscription/enable/action',
      ],
    },
  ),
  role(ROLE_IDS.reader, 'Reader', 'View all resources, but does not allow you to make any changes.', {
    actions: ['*/read'],
  }),
  role(
    ROLE_IDS.userAccessAdministrator,
    'User Access Administrator',
    'Lets you manage user access to Azure resources.',
    {
      actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'],
    },
  ),
  role(
    ROLE_IDS.keyVaultAdministrator,
    'Key Vault Administrator',
    'Perform all data plane operations on a key vault and all objects in it.',
    {
      actions: KV_CONTROL_READS,
      dataActions: ['Microsoft.KeyVault/vaults/*'],
    },
  ),
  role(ROLE_IDS.keyVaultContributor, 'Key Vault Contributor', 'Lets you manage key vaults, but not access to them.', {
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.KeyVault/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
    notActions: [
      'Microsoft.KeyVault/locations/deletedVaults/purge/action',
      'Microsoft.KeyVault/hsmPools/*',
      'Microsoft.KeyVault/managedHsms/*',
    ],
  }),
  role(
    ROLE_IDS.keyVaultReader,
    'Key Vault Reader',
    'Read metadata of key vaults and its certificates, keys, and secrets.',
    {
      actions: KV_CONTROL_READS,
      dataActions: ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
    },
  ),
  role(
    ROLE_IDS.keyVaultSecretsOfficer,
    'Key Vault Secrets Officer',
    'Perform any action on the secrets of a key vault, except manage permissions.',
    {
      actions: KV_CONTROL_READS,
      dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
    },
  ),
  role(ROLE_IDS.keyVaultSecretsUser, 'Key Vault Secrets User', 'Read secret contents.', {
    dataActions: [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ],
  }),
];

export function findRoleDefinition(roleDefinitionId: string): RoleDefinition | undefined {
  const guid = roleDefinitionId.split('/').pop()?.toLowerCase();
  return BUILT_IN_ROLES.find((definition) => definition.name === guid);
}

export function roleDefinitionBody(definition: RoleDefinition, subscriptionId: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${definition.name}`,
    name: definition.name,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: definition.roleName,
      type: 'BuiltInRole',
      description: definition.description,
      assignableScopes: ['/'],
      permissions: definition.permissions,
    },
  };
}
