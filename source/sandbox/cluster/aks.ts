/**
 * What an AKS cluster's simulation reads from its managedCluster ARM resource: the Key Vault
 * add-on (enabled, rotation, identity) and the OIDC issuer. Read at use, so an add-on enabled
 * through ARM shows up in the cluster at once.
 */
import type { SandboxState } from '../world/state.js';
import type { ClusterState } from './state.js';

export interface AddonState {
  enabled: boolean;
  rotation: boolean;
  rotationPollInterval?: string;
  identityClientId?: string;
  identityObjectId?: string;
}

function managedCluster(state: SandboxState, cluster: ClusterState): Record<string, any> | undefined {
  if (cluster.kind !== 'aks' || !cluster.managedClusterId) return undefined;
  return state.resources.get(cluster.managedClusterId.toLowerCase())?.properties as Record<string, any> | undefined;
}

export function keyVaultAddon(state: SandboxState, cluster: ClusterState): AddonState {
  const profile = managedCluster(state, cluster)?.addonProfiles?.azureKeyvaultSecretsProvider;
  if (!profile?.enabled) return { enabled: false, rotation: false };
  return {
    enabled: true,
    rotation: String(profile.config?.enableSecretRotation ?? 'false').toLowerCase() === 'true',
    ...(profile.config?.rotationPollInterval
      ? { rotationPollInterval: String(profile.config.rotationPollInterval) }
      : {}),
    identityClientId: profile.identity?.clientId,
    identityObjectId: profile.identity?.objectId,
  };
}

export function oidcIssuer(state: SandboxState, cluster: ClusterState): string | undefined {
  if (cluster.kind !== 'aks') return cluster.oidcIssuer;
  const profile = managedCluster(state, cluster)?.oidcIssuerProfile;
  return profile?.enabled ? (profile.issuerURL ?? profile.issuerUrl) : undefined;
}

/** Client ids of the user-assigned identities on the nodes (IMDS answers only for these). */
export function nodeIdentities(state: SandboxState, cluster: ClusterState): string[] {
  const addon = keyVaultAddon(state, cluster);
  const kubelet: string | undefined = managedCluster(state, cluster)?.identityProfile?.kubeletidentity?.clientId;
  return [
    ...cluster.nodeIdentityClientIds,
    ...(kubelet ? [kubelet] : []),
    ...(addon.identityClientId ? [addon.identityClientId] : []),
  ];
}
