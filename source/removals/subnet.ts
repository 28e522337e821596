/**
 * The endpoint subnet, when the ledger says this tool created it and its range is still the one
 * it created; after the endpoint, since a subnet in use can't be deleted.
 */
import { getSubnet } from '../azure/network.js';
import { deleteSubnet } from '../azure/removal-calls.js';
import { CHANGED_SINCE } from '../domain/ownership.js';
import { defineRemoval, keepItem, removeItem, type Removal } from './removal.js';
import { vaultLedger } from './ledger-vault.js';
import type { Ledger } from '../domain/ledger.js';
import { REMOVE_ENDPOINT } from './private-endpoint.js';
import { REMOVE_PEERINGS } from './peerings.js';

const REMOVE_SUBNET = 'remove-subnet';

type Ctx = Parameters<typeof vaultLedger>[0];

/** absent, ours to remove, or kept because its range changed since (shared with the ledger cleanup). */
export async function subnetVerdict(
  ctx: Ctx,
  entry: Ledger['subnets'][number],
): Promise<{ kind: 'absent' } | { kind: 'remove' | 'keep'; prefixes: string[] }> {
  const subnet = await getSubnet(ctx, entry.vnet, entry.subnet);
  if (!subnet) return { kind: 'absent' };
  const prefixes = subnet.addressPrefixes ?? (subnet.addressPrefix ? [subnet.addressPrefix] : []);
  return { kind: prefixes.includes(entry.prefix) ? 'remove' : 'keep', prefixes };
}

export const removeSubnetStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_SUBNET,
  title: 'Private endpoint subnet',
  // After the peerings too: Azure takes one write per VNet at a time.
  dependsOn: [REMOVE_ENDPOINT, REMOVE_PEERINGS],
  appliesTo: (config) => config.target === 'azure',
  done: 'Endpoint subnet removed',
  async inspect(ctx) {
    const { ledger } = await vaultLedger(ctx);
    const observed: string[] = [];
    const items: Removal[] = [];
    for (const entry of ledger.subnets) {
      const verdict = await subnetVerdict(ctx, entry);
      if (verdict.kind === 'absent') continue;
      const resource = `subnet ${entry.vnet.name}/${entry.subnet}`;
      observed.push(`${entry.key}:${verdict.prefixes.join(',')}`);
      if (verdict.kind === 'keep')
        items.push(
          keepItem(resource, `${CHANGED_SINCE}: its range is ${verdict.prefixes.join(', ')}, not ${entry.prefix}`),
        );
      else
        items.push(
          removeItem(resource, `created by this tool (${entry.prefix})`, () =>
            deleteSubnet(ctx, entry.vnet, entry.subnet),
          ),
        );
    }
    return { observed, items };
  },
});
