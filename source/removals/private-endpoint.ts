/** The vault's private endpoint, when it carries our tag and nothing else. */
import { getPrivateEndpoint } from '../azure/network.js';
import { endpointPlace, privateEndpointName } from '../steps/topology.js';
import { CHANGED_SINCE, foreignTags, tagOwnership } from '../domain/ownership.js';
import { deletePrivateEndpoint } from '../azure/removal-calls.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_ZONE_GROUP } from './zone-group.js';

export const REMOVE_ENDPOINT = 'remove-private-endpoint';

export const removePrivateEndpointStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_ENDPOINT,
  title: 'Private endpoint',
  dependsOn: [REMOVE_ZONE_GROUP],
  appliesTo: (config) => config.target === 'azure',
  done: 'Private endpoint removed',
  async inspect(ctx) {
    const resourceGroup = endpointPlace(ctx.config);
    const name = privateEndpointName(ctx.config);
    const pe = await getPrivateEndpoint(ctx, resourceGroup, name);
    if (!pe) return { observed: { endpoint: null }, items: [] };
    const owner = tagOwnership(pe.tags);
    const resource = `private endpoint ${name}`;
    if (owner === 'ours')
      return {
        observed: { owner },
        items: [
          removeItem(
            resource,
            `made by this tool; vault ${ctx.config.vault.name} keeps its public-access setting (uninstall never opens a vault)`,
            () => deletePrivateEndpoint(ctx, resourceGroup, name),
          ),
        ],
      };
    return {
      observed: { owner },
      items: [
        keepItem(
          resource,
          owner === 'changed'
            ? `${CHANGED_SINCE}: tags ${foreignTags(pe.tags).join(', ')} were added`
            : 'not made by this tool',
        ),
      ],
    };
  },
});
