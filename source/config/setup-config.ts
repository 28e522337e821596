/**
 * The slice of the preset that the engine and its steps read. The foundation's
 * zod schema (source/config/schema.ts) owns validation; its `Config` is structurally
 * assignable to this, so the engine never depends on how the schema is written.
 */
type Target = 'azure' | 'other-cloud';
export type PermissionModel = 'rbac' | 'access-policy';
export type IdentityMode = 'aks-addon' | 'workload-identity' | 'service-principal';
export type CsiInstall = 'aks-addon' | 'helm' | 'existing';

export interface SetupConfig {
  target: Target;
  azure: { subscriptionId: string; resourceGroup: string; location: string; tenantId?: string };
  vault: {
    name: string;
    create?: boolean;
    permissionModel?: PermissionModel;
    purgeProtection?: boolean;
    /** Recover a soft-deleted vault of this name instead of creating a new one. */
    recover?: boolean;
    softDeleteRetentionDays?: number;
    /** The vault's resource group when it isn't azure.resourceGroup (e.g. a soft-deleted vault's own). */
    resourceGroup?: string;
  };
  network?: {
    privateEndpoint?: {
      vnet: string;
      subnet: string;
      addressPrefix?: string;
      resourceGroup?: string;
      dnsZone?: string;
    };
    /** The operator confirmed locking down a vault that existed before the run. */
    lockDownExistingVault?: boolean;
    allowedIps?: readonly string[];
    bypass?: 'AzureServices' | 'None';
    /** Keep ipRules already on the vault that aren't in allowedIps (default true: never lock anyone out). */
    keepExistingIpRules?: boolean;
  };
  cluster?: {
    kubeContext?: string;
    aks?: { resourceGroup: string; name: string };
    /** OIDC issuer of a cluster outside Azure (workload identity). */
    oidcIssuer?: string;
  };
  csi?: {
    install?: CsiInstall;
    chartRepo?: string;
    chartVersion?: string;
    rotation?: { enabled?: boolean; pollInterval?: string };
  };
  identity?: {
    mode?: IdentityMode;
    workloadIdentity?: { name?: string; serviceAccount?: string; namespace?: string; resourceGroup?: string };
    servicePrincipal?: { clientId?: string; objectId?: string; clientSecretEnv?: string };
  };
  feathr?: {
    namespace?: string;
    release?: string;
    /** A chart directory instead of the shipped charts/feathr-online. */
    chart?: string;
    /** `repository[:tag]` of the Feathr image. */
    image?: string;
    /** Extra chart values (never secret values). */
    values?: Readonly<Record<string, unknown>>;
    /** Feathr's pipeline.conf and lookup.json: paths handed to helm with --set-file. */
    pipelineConf?: string;
    lookupJson?: string;
    /** The chart's kv-monitor CronJob (absent: off, as in the chart). */
    monitor?: { enabled?: boolean; schedule?: string };
  };
  /** Where secret values come from (never the values): the secret migration reads these. */
  secrets?: {
    sources: readonly {
      envFile?: string;
      kubernetesSecret?: { namespace: string; name: string };
      env?: readonly string[];
    }[];
    rename?: Readonly<Record<string, string>>;
    precedence?: 'error-on-conflict' | 'later-wins';
    /** Let the operator's own address through the vault firewall while writing, then remove it. */
    temporaryFirewallRule?: boolean;
  };
  /** The in-cluster check pod's image, for clusters that pull only from a private registry. */
  probe?: { image?: string };
}

/** Where the vault lives: vault.resourceGroup, else azure.resourceGroup. */
export function vaultGroup(config: Pick<SetupConfig, 'azure' | 'vault'>): string {
  return config.vault.resourceGroup ?? config.azure.resourceGroup;
}

export function identityMode(config: SetupConfig): IdentityMode {
  return config.identity?.mode ?? (config.target === 'azure' ? 'aks-addon' : 'workload-identity');
}

export function permissionModel(config: SetupConfig): PermissionModel {
  return config.vault.permissionModel ?? 'rbac';
}

/**
 * The managed identity, federated credential and subject workload identity uses, derived from
 * the preset alone: the step creates them, checks and the monitor's fixes name the same ones.
 */
export function workloadIdentityNames(config: SetupConfig) {
  const wi = config.identity?.workloadIdentity;
  const namespace = wi?.namespace ?? config.feathr?.namespace ?? 'feathr';
  const serviceAccount = wi?.serviceAccount ?? 'feathr-online';
  return {
    identity: wi?.name ?? 'feathr-kv-reader',
    resourceGroup: wi?.resourceGroup ?? config.azure.resourceGroup,
    credential: `${namespace}-${serviceAccount}`,
    subject: `system:serviceaccount:${namespace}:${serviceAccount}`,
  };
}
