/**
 * The ARM plane: every resource provider's routes in one table, behind the router's checks.
 * Order matters only where patterns overlap (first match wins).
 */
import type { PlaneHandler } from '../http.js';
import { accessPolicyRoutes } from './access-policies.js';
import { deletedVaultRoutes } from './deleted-vaults.js';
import { zoneGroupRoutes } from './dns-zone-groups.js';
import { identityRoutes } from './identities.js';
import { managedClusterRoutes } from './managed-clusters.js';
import { peeringRoutes } from './peerings.js';
import { privateDnsRoutes } from './private-dns.js';
import { privateEndpointRoutes } from './private-endpoints.js';
import { resourceGroupRoutes } from './resource-groups.js';
import { authorizationRoutes } from './role-assignments.js';
import { createArmHandler, type ArmRoute } from './router.js';
import { vaultSecretRoutes } from './vault-secrets.js';
import { vaultRoutes } from './vaults.js';
import { virtualNetworkRoutes } from './virtual-networks.js';

const ARM_ROUTES: readonly ArmRoute[] = [
  ...authorizationRoutes,
  ...resourceGroupRoutes,
  ...vaultRoutes,
  ...vaultSecretRoutes,
  ...accessPolicyRoutes,
  ...deletedVaultRoutes,
  ...virtualNetworkRoutes,
  ...peeringRoutes,
  ...privateEndpointRoutes,
  ...zoneGroupRoutes,
  ...privateDnsRoutes,
  ...managedClusterRoutes,
  ...identityRoutes,
];

export function createArmPlane(): PlaneHandler {
  return createArmHandler(ARM_ROUTES);
}
