/**
 * Private DNS zone links this tool made (tag managed-by and nothing else). A link made by
 * someone else is never touched: removing it would break name resolution of every other
 * vault behind this zone in that VNet.
 */
import { getZone, listLinks } from '../azure/private-dns.js';
import { CHANGED_SINCE, foreignTags, tagOwnership } from '../domain/ownership.js';
import { deleteLink } from '../azure/removal-calls.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_ZONE_GROUP } from './zone-group.js';

export const REMOVE_LINKS = 'remove-dns-links';

export const removeDnsLinksStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_LINKS,
  title: 'DNS zone links',
  dependsOn: [REMOVE_ZONE_GROUP],
  appliesTo: (config) => config.target === 'azure',
  done: 'DNS zone links removed',
  async inspect(ctx) {
    const { resourceGroup } = ctx.config.azure;
    if (!(await getZone(ctx, resourceGroup))) return { observed: { zone: null }, items: [] };
    const links = await listLinks(ctx, resourceGroup);
    const items = links.map((l) => {
      const vnet = l.virtualNetwork?.id?.split('/').pop() ?? '?';
      const resource = `zone link ${l.name} to ${vnet}`;
      const owner = tagOwnership(l.tags);
      if (owner === 'ours')
        return removeItem(resource, 'made by this tool', () => deleteLink(ctx, resourceGroup, l.name ?? ''));
      if (owner === 'changed')
        return keepItem(resource, `${CHANGED_SINCE}: tags ${foreignTags(l.tags).join(', ')} were added`);
      return keepItem(resource, 'not made by this tool: other vaults may resolve through it');
    });
    return { observed: links.map((l) => `${l.name}:${tagOwnership(l.tags)}`).sort(), items };
  },
});
