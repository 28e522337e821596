/**
 * Which principal a mount reads the vault as, resolved the way the Azure provider does it:
 * - useVMManagedIdentity + userAssignedIdentityID: IMDS on the node answers only for identities
 *   attached to the nodes (the AKS add-on identity), else "Identity not found";
 * - clientID (workload identity): Entra exchanges the pod's ServiceAccount token only if a
 *   federated credential under that identity has issuer == the cluster's OIDC issuer and
 *   subject system:serviceaccount:<ns>:<sa>, else AADSTS70021;
 * - neither: the nodePublishSecretRef Secret's clientid/clientsecret, checked against the
 *   world's service principal (AADSTS7000215 on a wrong secret).
 * The CSI driver passes the ServiceAccount token itself, so the ServiceAccount annotation and
 * pod label of workload identity aren't needed for the mount (they serve the webhook).
 */
import type { Principal, SandboxState } from '../world/state.js';
import { nodeIdentities, oidcIssuer } from './aks.js';
import * as text from './failed-mount.js';
import { secretValues } from './objects.js';
import type { SpcIdentity } from './spc.js';
import type { ClusterState } from './state.js';

export interface PodContext {
  namespace: string;
  pod: string;
  serviceAccount: string;
  nodePublishSecretRef?: string;
}

export type IdentityOutcome =
  | { ok: true; principal: Principal }
  /** `whole` texts are the full FailedMount message; `cause` ones go behind the per-object prefix. */
  | { ok: false; whole?: string; cause?: string };

function principalByClientId(state: SandboxState, clientId: string): Principal | undefined {
  const wanted = clientId.toLowerCase();
  return [...state.principals.values()].find((principal) => principal.clientId.toLowerCase() === wanted);
}

function vmIdentity(state: SandboxState, cluster: ClusterState, clientId: string): IdentityOutcome {
  if (cluster.kind !== 'aks') return { ok: false, cause: text.noImds() };
  const attached = nodeIdentities(state, cluster);
  let chosen = clientId;
  if (!chosen) {
    if (attached.length !== 1)
      return { ok: false, cause: attached.length > 1 ? text.multipleIdentities() : text.identityNotFound('') };
    chosen = attached[0];
  }
  const principal = attached.some((id) => id.toLowerCase() === chosen.toLowerCase())
    ? principalByClientId(state, chosen)
    : undefined;
  return principal ? { ok: true, principal } : { ok: false, cause: text.identityNotFound(chosen) };
}

function federatedMatch(state: SandboxState, clientId: string, issuer: string | undefined, subject: string): boolean {
  const identities = [...state.resources.values()].filter(
    (resource) =>
      resource.type?.toLowerCase() === 'microsoft.managedidentity/userassignedidentities' &&
      String((resource.properties as Record<string, unknown> | undefined)?.clientId ?? '').toLowerCase() ===
        clientId.toLowerCase(),
  );
  return identities.some((identity) =>
    [...state.resources.values()].some((credential) => {
      const p = (credential.properties ?? {}) as { issuer?: string; subject?: string };
      // Entra compares issuer and subject case-sensitively (Azure/login#517).
      return (
        credential.id.toLowerCase().startsWith(`${identity.id.toLowerCase()}/federatedidentitycredentials/`) &&
        issuer !== undefined &&
        p.issuer === issuer &&
        p.subject === subject
      );
    }),
  );
}

function workloadIdentity(
  state: SandboxState,
  cluster: ClusterState,
  clientId: string,
  pod: PodContext,
): IdentityOutcome {
  const principal = principalByClientId(state, clientId);
  if (!principal) {
    return {
      ok: false,
      cause: text.entraError(
        'ClientAssertionCredential',
        state.tenantId,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${state.tenantId}'.`,
      ),
    };
  }
  const issuer = oidcIssuer(state, cluster);
  const subject = `system:serviceaccount:${pod.namespace}:${pod.serviceAccount}`;
  if (federatedMatch(state, clientId, issuer, subject)) return { ok: true, principal };
  const description =
    `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer ?? ''}'. ` +
    `Assertion Subject: '${subject}'. Assertion Audience: 'api://AzureADTokenExchange'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation`;
  return {
    ok: false,
    cause: text.entraError('ClientAssertionCredential', state.tenantId, 'invalid_request', description),
  };
}

function servicePrincipal(
  state: SandboxState,
  cluster: ClusterState,
  pod: PodContext,
  target: text.MountTarget,
): IdentityOutcome {
  if (!pod.nodePublishSecretRef)
    return {
      ok: false,
      whole: text.providerFailure(target, 'failed to get credentials, nodePublishSecretRef secret is not set'),
    };
  const data = secretValues(cluster, pod.namespace, pod.nodePublishSecretRef);
  if (!data) return { ok: false, whole: text.nodePublishSecretMissing(target, pod.nodePublishSecretRef) };
  const clientId = data.clientid;
  const clientSecret = data.clientsecret;
  if (!clientId) return { ok: false, whole: text.providerFailure(target, 'could not find clientid in secrets') };
  if (!clientSecret)
    return { ok: false, whole: text.providerFailure(target, 'could not find clientsecret in secrets') };
  const principal = principalByClientId(state, clientId);
  if (!principal) {
    return {
      ok: false,
      cause: text.entraError(
        'ClientSecretCredential',
        state.tenantId,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${state.tenantId}'.`,
      ),
    };
  }
  if (principal.clientSecret === undefined || principal.clientSecret !== clientSecret) {
    const description = `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`;
    return {
      ok: false,
      cause: text.entraError('ClientSecretCredential', state.tenantId, 'invalid_client', description),
    };
  }
  return { ok: true, principal };
}

export function resolveMountIdentity(
  state: SandboxState,
  cluster: ClusterState,
  identity: SpcIdentity,
  pod: PodContext,
  target: text.MountTarget,
): IdentityOutcome {
  switch (identity.mode) {
    case 'vm-managed-identity':
      return vmIdentity(state, cluster, identity.clientId);
    case 'workload-identity':
      return workloadIdentity(state, cluster, identity.clientId, pod);
    case 'service-principal':
      return servicePrincipal(state, cluster, pod, target);
  }
}
