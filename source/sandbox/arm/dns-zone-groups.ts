/**
 * Private DNS zone groups under a private endpoint (LRO): for each zone config, the A record
 * `<vault>` with the endpoint's IP is created in that zone (TTL 10, as the zone group writes
 * it), and removed again when the group or the endpoint is deleted. Each zone needs
 * `privateDnsZones/join/action`, from an auxiliary token when it is in another tenant
 * (linked-access.ts).
 */
import type { ArmResource, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { lroResponse } from './lro.js';
import { requireLinkedAccess } from './linked-access.js';
import { etag, invalidReference, networkId, ZONE_GROUP_TYPE } from './network-common.js';
import { ZONE_TYPE, recordSetBody } from './private-dns.js';
import type { ArmRoute } from './router.js';
import { clone, deleteResource, getResource, parentNotFound, props, putResource, resourcesOfType } from './store.js';

const GROUPS =
  '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateEndpoints/{pe}/privateDnsZoneGroups';
const GROUP = `${GROUPS}/{group}`;

interface ZoneConfigInput {
  name?: string;
  privateDnsZoneId?: string;
  properties?: { privateDnsZoneId?: string };
}

/** Removes this group's IP from the A records it wrote (the record goes when no IP is left). */
export function removeZoneGroupRecords(state: SandboxState, group: ArmResource): void {
  for (const config of (props(group).privateDnsZoneConfigs ?? []) as Record<string, any>[]) {
    for (const recordSet of (config.properties?.recordSets ?? []) as Record<string, any>[]) {
      const id = `${config.properties.privateDnsZoneId}/A/${recordSet.recordSetName}`;
      const record = getResource(state, id);
      if (!record?.properties) continue;
      const remaining = ((record.properties.aRecords ?? []) as { ipv4Address: string }[]).filter(
        (entry) => !(recordSet.ipAddresses ?? []).includes(entry.ipv4Address),
      );
      if (remaining.length === 0) deleteResource(state, id);
      else record.properties.aRecords = remaining;
    }
  }
}

function endpointOf(call: ArmCall, action: string): ArmResource {
  const id = networkId(call, 'privateEndpoints', call.params.pe);
  const endpoint = getResource(call.ctx.state, id);
  if (!endpoint) parentNotFound(action, ZONE_GROUP_TYPE, id);
  return endpoint;
}

function putGroup(call: ArmCall) {
  const { state } = call.ctx;
  const endpoint = endpointOf(call, 'write');
  const id = `${endpoint.id}/privateDnsZoneGroups/${call.params.group}`;
  const body = call.body();
  const configs = ((body.properties ?? body).privateDnsZoneConfigs ?? []) as ZoneConfigInput[];
  if (configs.length === 0)
    fail(400, 'InvalidRequestFormat', 'Cannot parse the request: privateDnsZoneConfigs is required.');
  const ep = props(endpoint);
  const ip: string | undefined = ep.customDnsConfigs?.[0]?.ipAddresses?.[0];
  const fqdn: string = ep.customDnsConfigs?.[0]?.fqdn ?? '';
  const recordName = fqdn.split('.')[0].toLowerCase();
  // Every zone is judged before anything changes.
  const zones = configs.map((config) => {
    const zoneId = String(config.properties?.privateDnsZoneId ?? config.privateDnsZoneId ?? '');
    const zone = getResource(state, zoneId);
    if (!zone || zone.type !== ZONE_TYPE) invalidReference(zoneId, id);
    requireLinkedAccess(call, {
      writeAction: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write',
      writeId: id,
      linkedAction: 'Microsoft.Network/privateDnsZones/join/action',
      linkedId: zone.id,
    });
    return zone;
  });
  const existing = getResource(state, id);
  if (existing) removeZoneGroupRecords(state, existing);
  const built = configs.map((config, index) => {
    const zone = zones[index];
    const recordId = `${zone.id}/A/${recordName}`;
    const record = getResource(state, recordId);
    const ips = new Set(
      ((props(record).aRecords ?? []) as { ipv4Address: string }[]).map((entry) => entry.ipv4Address),
    );
    if (ip) ips.add(ip);
    putResource(
      state,
      recordSetBody(zone, 'A', recordName, {
        ttl: 10,
        aRecords: [...ips].map((ipv4Address) => ({ ipv4Address })),
        metadata: { creator: 'created by private endpoint ' + endpoint.name },
      }),
    );
    return {
      name: config.name ?? `config${index + 1}`,
      properties: {
        privateDnsZoneId: zone.id,
        recordSets: [
          {
            recordType: 'A',
            recordSetName: recordName,
            fqdn: `${recordName}.${zone.name}`,
            ttl: 10,
            ipAddresses: ip ? [ip] : [],
            provisioningState: 'Succeeded',
          },
        ],
      },
    };
  });
  const group: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? call.params.group,
    type: ZONE_GROUP_TYPE,
    etag: etag(),
    properties: { provisioningState: 'Updating', privateDnsZoneConfigs: built },
  };
  putResource(state, group);
  return lroResponse(call, existing ? 200 : 201, clone(group), group.id, {
    provider: 'Microsoft.Network',
    location: endpoint.location ?? 'global',
  });
}

function getGroup(call: ArmCall) {
  const endpoint = endpointOf(call, 'read');
  const group = getResource(call.ctx.state, `${endpoint.id}/privateDnsZoneGroups/${call.params.group}`);
  if (!group) fail(404, 'NotFound', `Resource ${endpoint.id}/privateDnsZoneGroups/${call.params.group} not found.`);
  return json(200, clone(group));
}

function deleteGroup(call: ArmCall) {
  const endpoint = endpointOf(call, 'delete');
  const group = getResource(call.ctx.state, `${endpoint.id}/privateDnsZoneGroups/${call.params.group}`);
  if (!group) return { status: 204 };
  removeZoneGroupRecords(call.ctx.state, group);
  deleteResource(call.ctx.state, group.id);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Network',
    location: endpoint.location ?? 'global',
    locationHeader: true,
  });
}

export const zoneGroupRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern: GROUPS,
    action: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read',
    handle: (call) =>
      json(200, { value: resourcesOfType(call.ctx.state, ZONE_GROUP_TYPE, endpointOf(call, 'read').id).map(clone) }),
  },
  {
    methods: ['GET'],
    pattern: GROUP,
    action: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read',
    handle: getGroup,
  },
  {
    methods: ['PUT'],
    pattern: GROUP,
    action: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write',
    handle: putGroup,
  },
  {
    methods: ['DELETE'],
    pattern: GROUP,
    action: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/delete',
    handle: deleteGroup,
  },
];
