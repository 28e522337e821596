/**
 * The ledger: what this tool created that Azure can't tag (subnets, peerings) and the firewall
 * rules it added, kept as tags on the vault. The vault is the anchor of every install, exists
 * after every successful run, and uninstall keeps it by default, so the record outlives the
 * resources it names. Install steps record through a finalizer: finalizers run one after the
 * other at the end of the run, so parallel steps never race on the vault's tag map (ARM
 * replaces tags as a whole), and the vault exists by then. A record lost to a crash errs on the
 * safe side: the resource is kept, never removed by guess.
 *
 *   feathr-kv-setup.subnet.<subnet>     [<vnet subscription>/]<vnet rg>/<vnet> <prefix>
 *   feathr-kv-setup.peering.<peering>   [<subscription>/]<rg>/<vnet>>[<remote subscription>/]<remote rg>/<remote vnet>
 * (the subscription is written when it isn't the vault's, so uninstall finds a VNet of another
 * subscription there and not a same-named one of the vault's)
 *   feathr-kv-setup.ip-rules.<n>        space-separated CIDRs (chunked: tag values stay under 256)
 */
import type { Finalizer } from '../kernel/step.js';
import type { AzureClients } from '../azure/clients.js';
import type { ResourceRef } from '../azure/network.js';
import { getVault } from '../azure/vaults.js';
import { ipRuleSet } from './ip-rules.js';
import { stamp } from '../kernel/plan.js';
import { TOOL_TAG_PREFIX } from './ownership.js';
import { putVaultTags } from '../azure/removal-calls.js';

const SUBNET = `${TOOL_TAG_PREFIX}subnet.`;
const PEERING = `${TOOL_TAG_PREFIX}peering.`;
const IP_RULES = `${TOOL_TAG_PREFIX}ip-rules.`;
const MAX_VALUE = 250;

export type LedgerEntry =
  | { kind: 'subnet'; vnet: ResourceRef; subnet: string; prefix: string }
  | { kind: 'peering'; vnet: ResourceRef; name: string; remote: ResourceRef }
  | { kind: 'ip-rules'; rules: readonly string[] };

export interface Ledger {
  subnets: { key: string; vnet: ResourceRef; subnet: string; prefix: string }[];
  peerings: { key: string; vnet: ResourceRef; name: string; remote: ResourceRef }[];
  ipRules: string[];
  ipRuleKeys: string[];
}

function ref(text: string | undefined): ResourceRef | undefined {
  const parts = (text ?? '').split('/');
  if (parts.length === 3 && parts.every(Boolean))
    return { subscriptionId: parts[0]!, resourceGroup: parts[1]!, name: parts[2]! };
  const [resourceGroup, name] = parts;
  return parts.length === 2 && resourceGroup && name ? { resourceGroup, name } : undefined;
}

/** `<rg>/<vnet>`, with the subscription in front when it isn't the vault's own. */
function refText(r: ResourceRef, home: string): string {
  const other = r.subscriptionId && r.subscriptionId.toLowerCase() !== home.toLowerCase();
  return `${other ? `${r.subscriptionId}/` : ''}${r.resourceGroup}/${r.name}`;
}

export function readLedger(tags: Record<string, string> | undefined): Ledger {
  const ledger: Ledger = { subnets: [], peerings: [], ipRules: [], ipRuleKeys: [] };
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (key.startsWith(SUBNET)) {
      const [where, prefix] = value.split(' ');
      const vnet = ref(where);
      if (vnet && prefix) ledger.subnets.push({ key, vnet, subnet: key.slice(SUBNET.length), prefix });
    } else if (key.startsWith(PEERING)) {
      const [local, remote] = value.split('>').map(ref);
      if (local && remote) ledger.peerings.push({ key, vnet: local, name: key.slice(PEERING.length), remote });
    } else if (key.startsWith(IP_RULES)) {
      ledger.ipRuleKeys.push(key);
      ledger.ipRules.push(...value.split(' ').filter(Boolean));
    }
  }
  ledger.ipRules = ipRuleSet(ledger.ipRules);
  return ledger;
}

function chunks(rules: readonly string[]): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    const last = out.at(-1);
    if (last !== undefined && last.length + 1 + rule.length <= MAX_VALUE) out[out.length - 1] = `${last} ${rule}`;
    else out.push(rule);
  }
  return out;
}

/** The vault's tags with the ip-rules ledger replaced by `rules` (none: the keys go). */
export function withIpRules(
  tags: Record<string, string> | undefined,
  rules: readonly string[],
): Record<string, string> {
  const next = Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => !k.startsWith(IP_RULES)));
  chunks(ipRuleSet(rules)).forEach((value, i) => (next[`${IP_RULES}${i + 1}`] = value));
  return next;
}

function withEntry(tags: Record<string, string> | undefined, entry: LedgerEntry, home: string): Record<string, string> {
  const next = { ...(tags ?? {}) };
  if (entry.kind === 'subnet') next[`${SUBNET}${entry.subnet}`] = `${refText(entry.vnet, home)} ${entry.prefix}`;
  if (entry.kind === 'peering')
    next[`${PEERING}${entry.name}`] = `${refText(entry.vnet, home)}>${refText(entry.remote, home)}`;
  if (entry.kind === 'ip-rules') return withIpRules(next, [...readLedger(next).ipRules, ...entry.rules]);
  return next;
}

function describe(entry: LedgerEntry): string {
  if (entry.kind === 'subnet') return `subnet ${entry.vnet.name}/${entry.subnet}`;
  if (entry.kind === 'peering') return `peering ${entry.vnet.name}/${entry.name}`;
  return `${entry.rules.length} firewall rule${entry.rules.length === 1 ? '' : 's'}`;
}

type RecordCtx = {
  config: { azure: { resourceGroup: string }; vault: { name: string; resourceGroup?: string } };
  azure: AzureClients;
  signal: AbortSignal;
  addFinalizer: (f: Finalizer) => void;
};

/** Called by an install step right after it created something uninstall must find again. */
export function recordInLedger(ctx: RecordCtx, entry: LedgerEntry): void {
  // The vault's own group (vault.resourceGroup, e.g. a recovered vault's), else azure.resourceGroup.
  const resourceGroup = ctx.config.vault.resourceGroup ?? ctx.config.azure.resourceGroup;
  const vaultName = ctx.config.vault.name;
  ctx.addFinalizer({
    name: `record ${describe(entry)} in vault ${vaultName}'s tags`,
    run: async () => {
      // Never aborted: a record skipped on Ctrl-C would leave the resource unclaimable.
      const quiet = { ...ctx, signal: new AbortController().signal };
      const vault = await getVault(quiet, resourceGroup, vaultName);
      if (!vault) throw new Error(`vault ${vaultName} doesn't exist, so uninstall won't remove ${describe(entry)}`);
      const next = withEntry(vault.tags, entry, ctx.azure.subscriptionId);
      if (stamp(next) !== stamp(vault.tags ?? {})) await putVaultTags(quiet, resourceGroup, vaultName, next);
    },
  });
}
