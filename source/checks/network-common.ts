/** Helpers the network checks share. */
import { getVnet } from '../azure/network.js';
import type { CheckContext } from './types.js';

export const sameId = (a?: string, b?: string) => Boolean(a && b && a.toLowerCase() === b.toLowerCase());
export const inner = (ctx: CheckContext) => ({ azure: ctx.azure!, signal: ctx.signal });
export const azureOnly = (ctx: CheckContext) =>
  ctx.config.target !== 'azure'
    ? 'the target has no private endpoint'
    : !ctx.azure
      ? 'no Azure connection in this run'
      : undefined;

export function peeringTo(vnet: Awaited<ReturnType<typeof getVnet>>, remoteId: string) {
  return vnet?.virtualNetworkPeerings?.find((p) => sameId(p.remoteVirtualNetwork?.id, remoteId));
}
