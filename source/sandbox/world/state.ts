/**
 * The sandbox's whole mutable world: simulated Azure (ARM + Key Vault data plane) and the
 * simulated clusters. One object, owned by one server instance; no module-level state.
 *
 * Contract between the sandbox's parts:
 * - ARM resources are stored as the JSON that ARM returns on GET (shapes from
 *   ../shared/reference/azure-examples), keyed by their lower-cased resource id. Child
 *   resources (subnets, peerings, zone groups, links, record sets, federated credentials,
 *   role assignments) are stored under their own ids too; parents embed them on GET where
 *   ARM does (e.g. a VNet's `properties.subnets`).
 * - Key Vault secrets live in `vaultSecrets`, shared by the data plane and the
 *   management-plane `vaults/secrets` routes.
 * - Clusters live in `clusters`, keyed by kube context name.
 */
import type { ClusterState } from '../cluster/state.js';
import type { FaultPlan } from '../faults.js';

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Where a caller sits on the network, which decides what the vault firewall sees. */
export type NetworkPosition =
  | { kind: 'internet'; publicIp: string }
  /** Inside a VNet (a cluster node or pod): DNS follows the VNet's private zone links and peerings. */
  | { kind: 'vnet'; vnetId: string; privateIp: string; egressIp: string }
  /** Outside Azure, e.g. the EKS cluster: only a public egress IP. */
  | { kind: 'external'; egressIp: string };

export interface Principal {
  /** Entra object id (principalId in role assignments). */
  objectId: string;
  /** Application/client id (what SPC clientID / userAssignedIdentityID carry). */
  clientId: string;
  displayName: string;
  type: 'User' | 'ServicePrincipal';
  /** Bearer token the sandbox issued for this principal. */
  token: string;
  /** Where this principal's requests come from, by default. */
  position: NetworkPosition;
  /** Service principals only: the client secret the sandbox accepts for it (sandbox value). */
  clientSecret?: string;
  /** Tokens issued for the world's other tenants (lower-cased tenant id -> token); `token` is the home tenant's. */
  tenantTokens?: Map<string, string>;
}

/** A subscription of the world and the tenant it trusts. */
export interface WorldSubscription {
  id: string;
  tenantId: string;
  name: string;
}

export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  /** Unix seconds, as Key Vault reports. */
  created: number;
  updated: number;
}

export interface SecretRecord {
  /** The name as first written (Key Vault keeps the original case). */
  name: string;
  versions: SecretVersion[];
  deleted?: { deletedDate: number; scheduledPurgeDate: number; recoveryId: string };
}

export interface DeletedVault {
  /** The vault resource as it was when deleted. */
  vault: ArmResource;
  deletionDate: string;
  scheduledPurgeDate: string;
  purgeProtectionEnabled: boolean;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  write: boolean;
  /** 'arm' | 'dataplane' | 'sandbox' | 'cluster' */
  plane: string;
  at: number;
  /** Cluster calls only: the client's User-Agent (kubectl/v1.32.3 ..., Helm/3.17.2). */
  userAgent?: string;
}

/** An ARM long-running operation, polled through Azure-AsyncOperation / Location URLs. */
export interface ArmOperation {
  id: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  /** The resource whose provisioningState follows this operation (absent for deletes/purges). */
  resourceId?: string;
  /** epoch ms when the operation leaves InProgress (LRO latency). */
  readyAt: number;
  /** Set when the operation will end Failed (injected fault). */
  error?: { code: string; message: string };
  startTime: string;
  endTime?: string;
  /** The VNets this operation holds until it ends (arm/vnet-locks.ts). */
  lock?: { name: string; vnetIds: string[] };
}

export interface SandboxState {
  /** The default (home) tenant and subscription; `subscriptions` holds them all, this one included. */
  tenantId: string;
  subscriptionId: string;
  /** lower-cased subscription id -> subscription; ARM refuses a token of another tenant. */
  subscriptions: Map<string, WorldSubscription>;
  /** objectId of the operator principal (the one `sandbox serve` prints a token for). */
  operatorId: string;
  principals: Map<string, Principal>;
  /** token -> objectId */
  tokens: Map<string, string>;
  resources: Map<string, ArmResource>;
  /** lower-cased vault name -> soft-deleted vault */
  deletedVaults: Map<string, DeletedVault>;
  /** lower-cased vault name -> lower-cased secret name -> record */
  vaultSecrets: Map<string, Map<string, SecretRecord>>;
  clusters: Map<string, ClusterState>;
  requestLog: RequestLogEntry[];
  /** Seconds before a new role assignment takes effect on the data plane. */
  rbacPropagationSeconds: number;
  /** role assignment id (lower) -> epoch ms when it becomes effective */
  roleAssignmentEffectiveAt: Map<string, number>;
  /** `vault|objectId` (lower) -> epoch ms when an access policy change reaches the data plane. */
  accessPolicyEffectiveAt?: Map<string, number>;
  /** ARM long-running operations by id (added by the server core; created on first use). */
  operations?: Map<string, ArmOperation>;
  /** Faults and latency in force (sandbox/faults.ts); absent means none. */
  faults?: FaultPlan;
  /** ARM's token buckets by subscription, principal and kind (arm/throttle.ts; created on first use). */
  armBuckets?: Map<string, { tokens: number; at: number }>;
  /** False turns ARM's subscription throttling off (a world file's `armThrottling: false`). */
  armThrottling?: boolean;
  /** Key Vault throttling windows (sandbox/keyvault/throttle.ts; created on first use). */
  vaultThrottle?: Map<string, VaultThrottleWindow>;
}

/** Epoch ms of the requests each vault counted in the last 10 s, by limit bucket. */
interface VaultThrottleWindow {
  secretSets: number[];
  other: number[];
}
