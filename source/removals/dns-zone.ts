/**
 * The private DNS zone, when this tool made it and, once our links and record are gone, nothing
 * else uses it: another link or another vault's record keeps it.
 */
import { getZone, listLinks, VAULT_PRIVATE_ZONE } from '../azure/private-dns.js';
import { CHANGED_SINCE, foreignTags, tagOwnership } from '../domain/ownership.js';
import { deleteZone, listRecordNames } from '../azure/removal-calls.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_LINKS } from './dns-links.js';
import { REMOVE_ENDPOINT } from './private-endpoint.js';

const REMOVE_ZONE = 'remove-dns-zone';

export const removeDnsZoneStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_ZONE,
  title: 'Private DNS zone',
  dependsOn: [REMOVE_LINKS, REMOVE_ENDPOINT],
  appliesTo: (config) => config.target === 'azure',
  done: 'Private DNS zone removed',
  async inspect(ctx) {
    const { resourceGroup } = ctx.config.azure;
    const zone = await getZone(ctx, resourceGroup);
    if (!zone) return { observed: { zone: null }, items: [] };
    const resource = `private DNS zone ${VAULT_PRIVATE_ZONE}`;
    const owner = tagOwnership(zone.tags);
    if (owner !== 'ours')
      return {
        observed: { owner },
        items: [
          keepItem(
            resource,
            owner === 'changed'
              ? `${CHANGED_SINCE}: tags ${foreignTags(zone.tags).join(', ')} were added`
              : 'not made by this tool',
          ),
        ],
      };
    const [links, records] = await Promise.all([listLinks(ctx, resourceGroup), listRecordNames(ctx, resourceGroup)]);
    const ourRecord = ctx.config.vault.name.toLowerCase();
    const otherLinks = links.filter((l) => tagOwnership(l.tags) !== 'ours').map((l) => `link ${l.name}`);
    const otherRecords = records
      .filter((r) => r.type !== 'SOA' && !(r.type === 'A' && r.name.toLowerCase() === ourRecord))
      .map((r) => `${r.type} ${r.name}`);
    const others = [...otherLinks, ...otherRecords].sort();
    if (others.length > 0)
      return {
        observed: { owner, others },
        items: [keepItem(resource, `made by this tool, but also used by ${others.join(', ')}`)],
      };
    return {
      observed: { owner, others },
      items: [removeItem(resource, 'made by this tool; nothing else uses it', () => deleteZone(ctx, resourceGroup))],
    };
  },
});
