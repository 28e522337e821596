/**
 * How uninstall knows what this tool made (and so may take back):
 *
 * - Azure resources it creates carry the tag `managed-by: feathr-kv-setup` (vault, private DNS
 *   zone, zone links, private endpoint, managed identity, resource group). One that carries it
 *   plus tags someone else added since is "changed since by someone else": kept, with a warning.
 * - Role assignments carry the description `Granted by feathr-kv-setup`; any other assignment,
 *   even for the same principal and role, was made by someone else and is never touched.
 * - What Azure can't tag (subnets, peerings, firewall ipRules) is listed in the vault's ledger
 *   tags (ledger.ts); the AKS add-on, when this tool turned it on, by the tag
 *   `feathr-kv-setup.addon-enabled=true` on the managed cluster, written in the same PUT.
 * - Cluster objects: `app.kubernetes.io/managed-by=feathr-kv-setup` on objects it creates itself
 *   (namespace, service-principal Secret); `app.kubernetes.io/created-by=feathr-kv-setup` on what
 *   Helm creates for it (Helm owns managed-by there) and in the releases' values (commonLabels),
 *   so a release whose current values lost that mark was upgraded by someone else: kept.
 *
 * Uninstall takes back access and resources it added; it never opens or loosens anything
 * (public network access and the firewall's defaultAction stay as they are).
 */
/** On every Azure resource this tool creates. */
export const MANAGED_BY_TAG = { 'managed-by': 'feathr-kv-setup' } as const;

/** On objects the tool creates itself (namespace, credentials Secret); uninstall finds them by it. */
export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': 'feathr-kv-setup' } as const;

/**
 * On objects Helm creates for us: Helm owns `app.kubernetes.io/managed-by` there (it must stay
 * "Helm", or the next upgrade refuses to adopt them), so our mark goes in created-by.
 */
export const CREATED_BY_LABEL = { 'app.kubernetes.io/created-by': 'feathr-kv-setup' } as const;

/** What source/azure/roles.ts writes on every assignment it creates. */
const ROLE_DESCRIPTION = 'Granted by feathr-kv-setup';

/** Prefix of every tag this tool writes besides managed-by (ledger and add-on marks). */
export const TOOL_TAG_PREFIX = 'feathr-kv-setup.';

/** On the managed cluster when this tool enabled azureKeyvaultSecretsProvider (and only then). */
export const ADDON_ENABLED_TAG = 'feathr-kv-setup.addon-enabled';

/** The reason text of a '=' line for something we made that someone else changed since. */
export const CHANGED_SINCE = 'changed since by someone else';

export type Ownership = 'ours' | 'changed' | 'not-ours';

/** ours: our managed-by tag and no foreign tag; changed: ours plus tags someone else set. */
export function tagOwnership(tags: Record<string, string> | undefined): Ownership {
  const all = tags ?? {};
  const [[key, value]] = Object.entries(MANAGED_BY_TAG);
  if (all[key!] !== value) return 'not-ours';
  const foreign = Object.keys(all).filter((k) => k !== key && !k.startsWith(TOOL_TAG_PREFIX));
  return foreign.length === 0 ? 'ours' : 'changed';
}

export function foreignTags(tags: Record<string, string> | undefined): string[] {
  const [[key]] = Object.entries(MANAGED_BY_TAG);
  return Object.keys(tags ?? {}).filter((k) => k !== key && !k.startsWith(TOOL_TAG_PREFIX));
}

export function isOurRoleAssignment(description: string | undefined): boolean {
  return description === ROLE_DESCRIPTION;
}

/** Label selectors for the cluster side. */
export const MANAGED_BY_SELECTOR = selector(MANAGED_BY_LABEL);
export const CREATED_BY_SELECTOR = selector(CREATED_BY_LABEL);

function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function hasLabel(labels: Record<string, string> | undefined, mark: Record<string, string>): boolean {
  return Object.entries(mark).every(([k, v]) => labels?.[k] === v);
}

/** The values a release of ours was installed with carry commonLabels created-by (feathr chart and the CSI provider). */
export function helmValuesAreOurs(values: Record<string, unknown> | null): boolean {
  const labels = values?.['commonLabels'] as Record<string, string> | undefined;
  return hasLabel(labels, CREATED_BY_LABEL);
}

/** Values that mark a Helm release as installed by this tool. */
export const OWNER_HELM_VALUES = { commonLabels: { ...CREATED_BY_LABEL } } as const;
