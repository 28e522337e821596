/**
 * VNet peerings the ledger says this tool created. A peering whose remote VNet is no longer the
 * one it was created for was changed by someone else: kept. Peerings it didn't create are
 * never looked at.
 */
import { getPeering } from '../azure/network.js';
import { deletePeering } from '../azure/removal-calls.js';
import { CHANGED_SINCE } from '../domain/ownership.js';
import { defineRemoval, keepItem, removeItem, type Removal } from './removal.js';
import { vaultLedger } from './ledger-vault.js';
import type { Ledger } from '../domain/ledger.js';
import { REMOVE_ENDPOINT } from './private-endpoint.js';

export const REMOVE_PEERINGS = 'remove-peerings';

type Ctx = Parameters<typeof vaultLedger>[0];

function remoteOf(id: string | undefined): { sub: string; text: string } {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)/i.exec(
      id ?? '',
    );
  return m ? { sub: m[1]!.toLowerCase(), text: `${m[2]}/${m[3]}`.toLowerCase() } : { sub: '', text: '' };
}

/** absent, ours to remove, or kept because its remote changed since (shared with the ledger cleanup). */
export async function peeringVerdict(
  ctx: Ctx,
  entry: Ledger['peerings'][number],
): Promise<{ kind: 'absent' } | { kind: 'remove' | 'keep'; remote: string }> {
  const peering = await getPeering(ctx, entry.vnet, entry.name);
  if (!peering) return { kind: 'absent' };
  const { sub, text: remote } = remoteOf(peering.remoteVirtualNetwork?.id);
  // A recorded subscription must match too; an old record without one names the group and VNet only.
  const sameSub = !entry.remote.subscriptionId || entry.remote.subscriptionId.toLowerCase() === sub;
  return {
    kind: sameSub && remote === `${entry.remote.resourceGroup}/${entry.remote.name}`.toLowerCase() ? 'remove' : 'keep',
    remote,
  };
}

export const removePeeringsStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_PEERINGS,
  title: 'VNet peerings',
  // After the endpoint: pods lose the path to the vault only once nothing uses it.
  dependsOn: [REMOVE_ENDPOINT],
  appliesTo: (config) => config.target === 'azure',
  done: 'VNet peerings removed',
  async inspect(ctx) {
    const { ledger } = await vaultLedger(ctx);
    const observed: string[] = [];
    const items: Removal[] = [];
    for (const entry of ledger.peerings) {
      const verdict = await peeringVerdict(ctx, entry);
      if (verdict.kind === 'absent') continue;
      const { remote } = verdict;
      const resource = `peering ${entry.vnet.name}/${entry.name}`;
      observed.push(`${entry.key}:${remote}`);
      if (verdict.kind === 'keep')
        items.push(
          keepItem(resource, `${CHANGED_SINCE}: it now points at ${remote || 'nothing'}, not ${entry.remote.name}`),
        );
      else
        items.push(
          removeItem(resource, `created by this tool, to ${entry.remote.name}`, () =>
            deletePeering(ctx, entry.vnet, entry.name),
          ),
        );
    }
    return { observed, items };
  },
});
