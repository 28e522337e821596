/**
 * The values contract of our chart `charts/feathr-online`. The engine builds
 * this from the configuration and the secret-name mapping; the real adapter hands it to
 * helm in a 0600 temp file; the sandbox's simulated cluster reads the same keys to create
 * the SecretProviderClass and the synced Secret. Never holds a secret value.
 */

export type KeyVaultIdentityValues =
  /** AKS add-on or any user-assigned managed identity on the nodes: SPC useVMManagedIdentity + userAssignedIdentityID. */
  | { mode: 'vmManagedIdentity'; clientId: string }
  /** Workload identity federation: SPC clientID, ServiceAccount annotation, pod label. */
  | { mode: 'workloadIdentity'; clientId: string }
  /** Service principal credentials in a labelled Secret: volume nodePublishSecretRef. */
  | { mode: 'servicePrincipal'; nodePublishSecretRef: string };

export interface SecretMappingValue {
  /** The variable name inside the pod (objectAlias, secretObjects key, env name), e.g. CONN_STR. */
  env: string;
  /** The Key Vault object name (objectName), e.g. CONN-STR. */
  vaultName: string;
}

export interface FeathrChartValues {
  replicaCount?: number;
  image?: { repository?: string; tag?: string; pullPolicy?: string };
  service?: { type?: string; port?: number };
  serviceAccount?: { create?: boolean; name?: string; annotations?: Record<string, string> };
  /** Extra labels on every object (uninstall finds what the tool made by these). */
  commonLabels?: Record<string, string>;
  keyVault: {
    name: string;
    tenantId: string;
    cloudName?: string;
    identity: KeyVaultIdentityValues;
    secrets: SecretMappingValue[];
    /** Name of the Kubernetes Secret the CSI driver syncs to (secretObjects[].secretName). */
    syncedSecretName?: string;
    /** SecretProviderClass name. */
    secretProviderClassName?: string;
  };
  /** Restart pods when secrets rotate: a checksum annotation over the mapping plus this token. */
  rotation?: { restartOnChange?: boolean; token?: string };
  /** pipeline.conf / lookup.json contents (handed over as files with --set-file). */
  pipeline?: { conf?: string; lookup?: string };
  [key: string]: unknown;
}
