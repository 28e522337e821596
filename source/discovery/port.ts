/**
 * What the wizard asks the outside world while it collects answers: discovery for pickers
 * ("never ask what can be discovered"). Types only; the adapter over the Azure SDKs and the
 * kube port lives in discovery.ts and is loaded after the first frame, and tests hand in the
 * same adapter over the in-process sandbox.
 */
import type { CsiDriverState } from '../kube/port.js';
import type { SetupConfig } from '../config/setup-config.js';

export interface Detected {
  sandbox: boolean;
  account?: string;
  tenantId?: string;
  subscriptionId?: string;
  kubeContext?: string;
  kubectl?: string;
  helm?: string;
  /** What couldn't be detected, in words ("kubectl isn't on PATH"). */
  problems: string[];
}

export interface VnetInfo {
  id: string;
  name: string;
  resourceGroup: string;
  location?: string;
  addressSpace: string[];
  subnets: { name: string; addressPrefix?: string }[];
}

export interface AksInfo {
  name: string;
  resourceGroup: string;
  location?: string;
  vnet?: VnetInfo;
  oidcIssuer?: string;
  addonEnabled: boolean;
}

export interface DeletedVaultInfo {
  name: string;
  location?: string;
  purgeProtection: boolean;
  scheduledPurgeDate?: string;
}

interface VaultNameCheck {
  available: boolean;
  /** Azure's words when the name is taken. */
  message?: string;
  /** Set when the name belongs to a soft-deleted vault of this subscription: it can be recovered. */
  deleted?: DeletedVaultInfo;
}

export interface SecretCandidate {
  namespace: string;
  name: string;
  keys: string[];
}

export interface NetworkFacts {
  dnsZoneExists: boolean;
  /** Names of VNets the zone is already linked to. */
  linkedVnets: string[];
  /** Whether a peering between the two VNets already exists, each way. */
  peeringExists: boolean;
}

/** A name two chosen sources both hold, with different values (the values never leave the adapter). */
export interface SecretConflict {
  env: string;
  /** Source labels in the order of secrets.sources, e.g. "Kubernetes Secret legacy/x", ".env ./feathr.env". */
  sources: string[];
}

/** The state of each vault name in the chosen vault, for the mapping table. */
export type VaultNameState = 'new' | 'changed' | 'unchanged' | 'in vault';

/**
 * An earlier install by this tool: a vault tagged managed-by feathr-kv-setup, with the Feathr
 * release found in a cluster when one carries the created-by mark. `config` is what uninstall
 * needs (rebuilt from the vault, its ledger tags and the release); `answers` prefill a new setup.
 */
/** What the wizard collects; a found install pre-fills a new setup with some of it. */
export interface Answers {
  target?: 'azure' | 'other-cloud';
  subscriptionId?: string;
  tenantId?: string;
  resourceGroup?: string;
  location?: string;
  vault?: { name: string; create: boolean; recover?: boolean };
  /** Confirmed: lock down an existing vault others may use (network.lockDownExistingVault). */
  lockDownExistingVault?: boolean;
  kubeContext?: string;
  aks?: { resourceGroup: string; name: string };
  privateEndpoint?: { vnet: string; subnet: string; addressPrefix?: string; resourceGroup?: string };
  allowedIps?: string[];
  oidcIssuer?: string;
  csi?: { install: 'aks-addon' | 'helm' | 'existing'; rotation: { enabled: boolean; pollInterval: string } };
  identity?:
    | { mode: 'aks-addon' }
    | { mode: 'workload-identity'; name: string; serviceAccount: string }
    | { mode: 'service-principal'; clientId: string; clientSecretEnv: string };
  monitor?: { enabled: boolean; schedule: string };
  secrets?: {
    sources: SecretSourceInput[];
    rename: Record<string, string>;
    precedence?: 'error-on-conflict' | 'later-wins';
  };
}

export interface FoundInstall {
  /** One line per part found: "vault feathr-kv-x in feathr-rg (eastus)", "release feathr/feathr-online in feathr-aks". */
  lines: string[];
  config: SetupConfig;
  answers: Partial<Answers>;
}

export interface WizardPort {
  /** Installs this tool made before, so the start can offer to set up again or uninstall. */
  installs(): Promise<FoundInstall[]>;
  detect(): Promise<Detected>;
  subscriptions(): Promise<{ id: string; name: string }[]>;
  resourceGroups(): Promise<{ name: string; location: string }[]>;
  locations(): Promise<string[]>;
  checkVaultName(name: string): Promise<VaultNameCheck>;
  vaults(): Promise<{ name: string; resourceGroup: string; location?: string }[]>;
  aksClusters(): Promise<AksInfo[]>;
  vnets(resourceGroup: string): Promise<VnetInfo[]>;
  networkFacts(input: { resourceGroup: string; clusterVnet: VnetInfo; endpointVnet: VnetInfo }): Promise<NetworkFacts>;
  kubeContexts(): Promise<{ name: string; current: boolean }[]>;
  /**
   * The egress IPs the vault would see from this cluster, when it can tell: what the cluster
   * knows of its nodes, or the probe's Client address against an existing vault's firewall.
   */
  egressIps(context: string, existingVault?: string): Promise<NodeEgress[]>;
  oidcIssuer(context: string): Promise<string | undefined>;
  csiState(context: string): Promise<CsiDriverState | undefined>;
  secretCandidates(context: string): Promise<SecretCandidate[]>;
  /** Names in an env file (never values). */
  envFileNames(path: string): Promise<string[]>;
  /** Names the chosen sources hold with different values, compared inside the adapter. */
  secretConflicts(input: { context: string; sources: SecretSourceInput[] }): Promise<SecretConflict[]>;
  /**
   * new / changed / unchanged per vault name, compared without any value leaving the adapter.
   * `sources` are the preset's source entries; `mapping` the env → vault name pairs.
   */
  secretStates(input: {
    context: string;
    vault: { name: string; resourceGroup: string; create: boolean };
    sources: SecretSourceInput[];
    mapping: { env: string; vaultName: string }[];
  }): Promise<Record<string, VaultNameState>>;
}

export type SecretSourceInput =
  { envFile: string } | { kubernetesSecret: { namespace: string; name: string } } | { env: string[] };

/** The address a node leaves the cluster from (the vault's firewall must admit each); node when known. */
export interface NodeEgress {
  node?: string;
  address: string;
}
