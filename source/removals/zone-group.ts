/** The endpoint's DNS zone group (it writes the vault's A record): removed with the endpoint this tool made. */
import { getPrivateEndpoint, getZoneGroup } from '../azure/network.js';
import { endpointPlace, privateEndpointName, ZONE_GROUP_NAME } from '../steps/topology.js';
import { tagOwnership } from '../domain/ownership.js';
import { deleteZoneGroup } from '../azure/removal-calls.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_ROLES } from './role-assignments.js';

export const REMOVE_ZONE_GROUP = 'remove-zone-group';

export const removeZoneGroupStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_ZONE_GROUP,
  title: 'DNS zone group',
  dependsOn: [REMOVE_ROLES],
  appliesTo: (config) => config.target === 'azure',
  done: 'DNS zone group removed',
  async inspect(ctx) {
    const resourceGroup = endpointPlace(ctx.config);
    const pe = privateEndpointName(ctx.config);
    const [endpoint, group] = await Promise.all([
      getPrivateEndpoint(ctx, resourceGroup, pe),
      getZoneGroup(ctx, resourceGroup, pe, ZONE_GROUP_NAME),
    ]);
    if (!endpoint || !group) return { observed: { group: null }, items: [] };
    const owner = tagOwnership(endpoint.tags);
    const resource = `zone group ${pe}/${ZONE_GROUP_NAME}`;
    if (owner !== 'ours')
      return {
        observed: { owner },
        items: [
          keepItem(
            resource,
            `its private endpoint ${pe} is kept (${owner === 'changed' ? 'changed since by someone else' : 'not made by this tool'})`,
          ),
        ],
      };
    return {
      observed: { owner },
      items: [
        removeItem(resource, `removes the A record ${ctx.config.vault.name} from the private zone`, () =>
          deleteZoneGroup(ctx, resourceGroup, pe, ZONE_GROUP_NAME),
        ),
      ],
    };
  },
});
