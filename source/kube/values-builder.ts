/**
 * Builds the chart values (FeathrChartValues) from the resolved configuration. Pure, and
 * checks the same rules as charts/feathr-online/values.schema.json, so a bad mapping is
 * refused with a named field before helm ever runs.
 */
import type { FeathrChartValues, KeyVaultIdentityValues, SecretMappingValue } from './feathr-values.js';
import { UserError } from '../kernel/errors.js';
import { podNameProblem, suggestPodName } from '../domain/pod-name.js';

export type IdentityInput =
  | { mode: 'vmManagedIdentity' | 'aks-addon'; clientId: string }
  | { mode: 'workloadIdentity' | 'workload-identity'; clientId: string; serviceAccountName?: string }
  | { mode: 'servicePrincipal' | 'service-principal'; secretName?: string };

export interface ChartValuesInput {
  vaultName: string;
  tenantId: string;
  cloudName?: string;
  identity: IdentityInput;
  mapping: readonly SecretMappingValue[];
  /** Added to every object (commonLabels), e.g. app.kubernetes.io/created-by. */
  labels?: Record<string, string>;
  rotationToken?: string;
  /** The operator's own chart values (preset `feathr.values`); ours win on keyVault. */
  extra?: Record<string, unknown>;
}

export const SP_SECRET_NAME = 'secrets-store-creds';
const guid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const vaultNamePattern = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const objectNamePattern = /^[0-9a-zA-Z-]{1,127}$/;

function identityValues(identity: IdentityInput): KeyVaultIdentityValues {
  switch (identity.mode) {
    case 'vmManagedIdentity':
    case 'aks-addon':
      return { mode: 'vmManagedIdentity', clientId: checkClientId(identity.clientId) };
    case 'workloadIdentity':
    case 'workload-identity':
      return { mode: 'workloadIdentity', clientId: checkClientId(identity.clientId) };
    case 'servicePrincipal':
    case 'service-principal':
      return { mode: 'servicePrincipal', nodePublishSecretRef: identity.secretName ?? SP_SECRET_NAME };
  }
}

function checkClientId(clientId: string): string {
  if (!guid.test(clientId)) {
    throw new UserError(
      `The identity's client id "${clientId}" isn't a GUID.`,
      'Use the clientId of the managed identity or app registration, e.g. from `az identity show --query clientId`.',
      ['keyVault.identity.clientId'],
    );
  }
  return clientId;
}

function checkMapping(mapping: readonly SecretMappingValue[]): SecretMappingValue[] {
  if (mapping.length === 0)
    throw new UserError(
      'The secret mapping is empty: nothing would be mounted.',
      'Add at least one secret source (secrets.sources in the preset).',
      ['keyVault.secrets'],
    );
  const envs = new Set<string>();
  const objects = new Map<string, string>();
  for (const { env, vaultName } of mapping) {
    const problem = podNameProblem(env);
    if (problem) {
      const suggestion = suggestPodName(env);
      throw new UserError(
        `The secret name ${JSON.stringify(env)} ${problem}.`,
        `Rename it in its source${suggestion ? `, e.g. to ${suggestion}` : ''}.`,
        ['keyVault.secrets.env'],
      );
    }
    if (!objectNamePattern.test(vaultName))
      throw new UserError(
        `"${vaultName}" isn't a valid Key Vault secret name.`,
        `Use 1-127 characters from 0-9, a-z, A-Z and "-", e.g. ${env.replace(/_/g, '-')}.`,
        ['keyVault.secrets.vaultName'],
      );
    if (envs.has(env))
      throw new UserError(`${env} appears twice in the secret mapping.`, 'Keep one entry per variable.', [
        'keyVault.secrets',
      ]);
    // Key Vault names are case-insensitive, so CONN-STR and conn-str are one object.
    const other = objects.get(vaultName.toLowerCase());
    if (other)
      throw new UserError(
        `${other} and ${env} both map to vault secret ${vaultName} (names are case-insensitive in Key Vault).`,
        'Rename one of them with secrets.rename in the preset.',
        ['keyVault.secrets'],
      );
    envs.add(env);
    objects.set(vaultName.toLowerCase(), env);
  }
  return mapping.map(({ env, vaultName }) => ({ env, vaultName }));
}

export function buildChartValues(input: ChartValuesInput): FeathrChartValues {
  if (!vaultNamePattern.test(input.vaultName))
    throw new UserError(
      `"${input.vaultName}" isn't a valid vault name.`,
      'Use 3-24 letters, digits and hyphens, starting with a letter.',
      ['keyVault.name'],
    );
  if (!guid.test(input.tenantId))
    throw new UserError(`The tenant id "${input.tenantId}" isn't a GUID.`, 'Use `az account show --query tenantId`.', [
      'keyVault.tenantId',
    ]);
  const identity = identityValues(input.identity);
  const extra = input.extra ?? {};
  const values: FeathrChartValues = {
    ...extra,
    keyVault: {
      name: input.vaultName,
      tenantId: input.tenantId,
      ...(input.cloudName ? { cloudName: input.cloudName } : {}),
      identity,
      secrets: checkMapping(input.mapping),
    },
  };
  if (input.labels && Object.keys(input.labels).length > 0) {
    values.commonLabels = { ...((extra.commonLabels as Record<string, string> | undefined) ?? {}), ...input.labels };
  }
  if (input.identity.mode === 'workload-identity' || input.identity.mode === 'workloadIdentity') {
    // The federated credential's subject names this ServiceAccount, so the chart must use it.
    const name = input.identity.serviceAccountName;
    if (name) values.serviceAccount = { ...((extra.serviceAccount as object | undefined) ?? {}), create: true, name };
  }
  if (input.rotationToken) values.rotation = { restartOnChange: true, token: input.rotationToken };
  return values;
}
