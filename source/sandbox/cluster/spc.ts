/**
 * Reading a SecretProviderClass the way the Azure provider does: required parameters, one
 * identity mode, and the `objects` YAML string (`array:` of YAML entries).
 */
import { parse } from 'yaml';
import type { KubeObject } from './state.js';

interface SpcObjectEntry {
  objectName: string;
  objectType: string;
  objectAlias: string;
  objectVersion: string;
}

export type SpcIdentity =
  | { mode: 'vm-managed-identity'; clientId: string }
  | { mode: 'workload-identity'; clientId: string }
  /** No identity parameter: the provider falls back to nodePublishSecretRef credentials. */
  | { mode: 'service-principal' };

export interface ParsedSpc {
  keyvaultName: string;
  tenantId: string;
  identity: SpcIdentity;
  objects: SpcObjectEntry[];
  secretObjects: {
    secretName: string;
    type: string;
    labels: Record<string, string>;
    data: { objectName: string; key: string }[];
  }[];
}

/** Parses an SPC or returns the provider's error text. */
export function parseSpc(spc: KubeObject): ParsedSpc | { error: string } {
  const spec = (spc.spec ?? {}) as { parameters?: Record<string, string>; secretObjects?: ParsedSpc['secretObjects'] };
  const parameters = spec.parameters ?? {};
  const keyvaultName = parameters.keyvaultName ?? '';
  const tenantId = parameters.tenantID ?? parameters.tenantId ?? '';
  if (!keyvaultName) return { error: 'keyvaultName is not provided' };
  if (!/^[-a-zA-Z0-9]{3,24}$/.test(keyvaultName))
    return { error: `Invalid vault name: ${keyvaultName}, must match [-a-zA-Z0-9]{3,24}` };
  if (!tenantId) return { error: 'tenantId is not provided' };
  let entries: unknown[];
  try {
    const array = (parse(parameters.objects ?? '') as { array?: unknown[] } | null)?.array ?? [];
    entries = array.map((entry) => (typeof entry === 'string' ? parse(entry) : entry));
  } catch (error) {
    return { error: `failed to unmarshal objects, error: ${(error as Error).message}` };
  }
  const objects: SpcObjectEntry[] = [];
  for (const raw of entries as Record<string, unknown>[]) {
    const objectType = String(raw?.objectType ?? '');
    if (!['secret', 'key', 'cert'].includes(objectType))
      return { error: 'Invalid vaultObjectTypes. Should be secret, key, or cert' };
    const objectName = String(raw.objectName ?? '');
    objects.push({
      objectName,
      objectType,
      objectAlias: String(raw.objectAlias ?? '') || objectName,
      objectVersion: String(raw.objectVersion ?? ''),
    });
  }
  const identity: SpcIdentity =
    parameters.useVMManagedIdentity === 'true'
      ? { mode: 'vm-managed-identity', clientId: parameters.userAssignedIdentityID ?? '' }
      : parameters.clientID
        ? { mode: 'workload-identity', clientId: parameters.clientID }
        : { mode: 'service-principal' };
  return { keyvaultName, tenantId, identity, objects, secretObjects: spec.secretObjects ?? [] };
}
