/**
 * Microsoft.Network/privateDnsZones (global): zones and virtual network links are LROs
 * (201/200 with Azure-AsyncOperation and Location; a link is `InProgress` until done, then
 * `Completed`); record sets are plain PUT/GET/DELETE, names lower-cased, fqdn ending in a dot.
 * A link needs `virtualNetworks/join/action` on its VNet, from an auxiliary token when the VNet
 * is in another tenant (linked-access.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { lroResponse } from './lro.js';
import { requireLinkedAccess } from './linked-access.js';
import { invalidReference, VNET_TYPE } from './network-common.js';
import type { ArmRoute } from './router.js';
import {
  clone,
  deleteResource,
  deleteTree,
  getResource,
  parentNotFound,
  props,
  putResource,
  resourceGroupId,
  resourcesOfType,
  sameId,
} from './store.js';

export const ZONE_TYPE = 'Microsoft.Network/privateDnsZones';
const LINK_TYPE = 'Microsoft.Network/privateDnsZones/virtualNetworkLinks';
const ZONES = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateDnsZones';
const ZONE = `${ZONES}/{zone}`;
const LINK = `${ZONE}/virtualNetworkLinks/{link}`;
const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'PTR', 'SOA', 'SRV', 'TXT'];

export function recordSetBody(
  zone: ArmResource,
  recordType: string,
  name: string,
  properties: Record<string, unknown>,
): ArmResource {
  const lower = name.toLowerCase();
  return {
    id: `${zone.id}/${recordType}/${lower}`,
    name: lower,
    type: `${ZONE_TYPE}/${recordType}`,
    etag: randomUUID(),
    properties: { ...properties, fqdn: `${lower === '@' ? '' : `${lower}.`}${zone.name}.`, isAutoRegistered: false },
  };
}

function zoneId(call: ArmCall): string {
  return `${resourceGroupId(call.ctx.state, call.params.rg, call.params.sub)}/providers/Microsoft.Network/privateDnsZones/${call.params.zone}`;
}

function zoneView(call: ArmCall, zone: ArmResource): ArmResource {
  const view = clone(zone);
  const { state } = call.ctx;
  const links = resourcesOfType(state, LINK_TYPE, zone.id);
  const records = [...state.resources.keys()].filter(
    (key) => key.startsWith(`${zone.id.toLowerCase()}/`) && !key.includes('/virtualnetworklinks/'),
  );
  Object.assign(view.properties as Record<string, unknown>, {
    numberOfRecordSets: records.length + 1, // + the SOA record every zone has
    numberOfVirtualNetworkLinks: links.length,
    numberOfVirtualNetworkLinksWithRegistration: links.filter((link) => props(link).registrationEnabled === true)
      .length,
  });
  return view;
}

function requireZone(call: ArmCall, action = 'read'): ArmResource {
  const zone = getResource(call.ctx.state, zoneId(call));
  if (!zone) {
    if (action === 'read' && !call.params.link && !call.params.type) {
      fail(
        404,
        'ResourceNotFound',
        `The Resource '${ZONE_TYPE}/${call.params.zone}' under resource group '${call.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    parentNotFound(action, ZONE_TYPE, zoneId(call));
  }
  return zone;
}

function checkGlobal(location: unknown): void {
  if (typeof location !== 'string' || location.toLowerCase() !== 'global')
    fail(400, 'BadRequest', "The location property of a private DNS resource must be 'global'.");
}

function putZone(call: ArmCall) {
  const { state } = call.ctx;
  const body = call.body();
  checkGlobal(body.location);
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$/i.test(call.params.zone))
    fail(400, 'BadRequest', `The zone name '${call.params.zone}' is invalid.`);
  const existing = getResource(state, zoneId(call));
  const zone: ArmResource = {
    id: existing?.id ?? zoneId(call),
    name: existing?.name ?? call.params.zone,
    type: ZONE_TYPE,
    location: 'global',
    tags: body.tags ?? {},
    etag: randomUUID(),
    properties: {
      maxNumberOfRecordSets: 25000,
      maxNumberOfVirtualNetworkLinks: 1000,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      internalId: props(existing).internalId ?? randomUUID(),
      provisioningState: existing ? 'Updating' : 'Creating',
    },
  };
  putResource(state, zone);
  return lroResponse(call, existing ? 200 : 201, zoneView(call, zone), zone.id, {
    provider: 'Microsoft.Network',
    location: 'global',
    locationHeader: true,
  });
}

function deleteZone(call: ArmCall) {
  const { state } = call.ctx;
  const zone = getResource(state, zoneId(call));
  if (!zone) return { status: 204 };
  if (resourcesOfType(state, LINK_TYPE, zone.id).length > 0) {
    fail(
      400,
      'BadRequest',
      `You cannot delete a Private DNS zone that has virtual network links. Delete the virtual network links of '${zone.name}' first.`,
    );
  }
  deleteTree(state, zone.id);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Network',
    location: 'global',
    locationHeader: true,
  });
}

/** The zone name in a link id (…/privateDnsZones/<zone>/virtualNetworkLinks/<link>), lower-cased. */
function nameOfZone(linkId: string): string {
  return /\/privateDnsZones\/([^/]+)\/virtualNetworkLinks\//i.exec(linkId)?.[1]?.toLowerCase() ?? '';
}

function putLink(call: ArmCall) {
  const { state } = call.ctx;
  const zone = requireZone(call, 'write');
  const body = call.body();
  checkGlobal(body.location);
  const id = `${zone.id}/virtualNetworkLinks/${call.params.link}`;
  const requested = (body.properties ?? {}) as Record<string, any>;
  const vnetId = String(requested.virtualNetwork?.id ?? '');
  const vnet = getResource(state, vnetId);
  if (!vnet || vnet.type !== VNET_TYPE) invalidReference(vnetId, id);
  requireLinkedAccess(call, {
    writeAction: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write',
    writeId: id,
    linkedAction: 'Microsoft.Network/virtualNetworks/join/action',
    linkedId: vnet.id,
  });
  const duplicate = resourcesOfType(state, LINK_TYPE, zone.id).find(
    (link) => sameId(props(link).virtualNetwork?.id, vnet.id) && !sameId(link.id, id),
  );
  if (duplicate)
    fail(
      400,
      'BadRequest',
      `A virtual network cannot be linked to the same zone more than once: ${vnet.id} is already linked to ${zone.name} by ${duplicate.name}.`,
    );
  // One zone of a given name per VNet, whichever group or subscription holds the other one.
  const namesake = resourcesOfType(state, LINK_TYPE).find(
    (link) =>
      sameId(props(link).virtualNetwork?.id, vnet.id) &&
      !link.id.toLowerCase().startsWith(`${zone.id.toLowerCase()}/`) &&
      nameOfZone(link.id) === zone.name.toLowerCase(),
  );
  if (namesake) {
    fail(
      400,
      'BadRequest',
      `A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with '${nameOfZone(namesake.id)}' and '${zone.name}' zones.`,
    );
  }
  const existing = getResource(state, id);
  const link: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? call.params.link,
    type: LINK_TYPE,
    location: 'global',
    tags: body.tags ?? {},
    etag: randomUUID(),
    properties: {
      virtualNetwork: { id: vnet.id },
      registrationEnabled: requested.registrationEnabled ?? false,
      resolutionPolicy: requested.resolutionPolicy ?? 'Default',
      virtualNetworkLinkState: 'InProgress',
      provisioningState: existing ? 'Updating' : 'Creating',
    },
  };
  putResource(state, link);
  return lroResponse(call, existing ? 200 : 201, clone(link), link.id, {
    provider: 'Microsoft.Network',
    location: 'global',
    locationHeader: true,
  });
}

function requireLink(call: ArmCall): ArmResource {
  const zone = requireZone(call);
  const link = getResource(call.ctx.state, `${zone.id}/virtualNetworkLinks/${call.params.link}`);
  if (!link)
    fail(
      404,
      'ResourceNotFound',
      `The Resource '${LINK_TYPE}/${call.params.link}' under resource group '${call.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  return link;
}

function deleteLink(call: ArmCall) {
  const zone = requireZone(call, 'delete');
  const link = getResource(call.ctx.state, `${zone.id}/virtualNetworkLinks/${call.params.link}`);
  if (!link) return { status: 204 };
  deleteResource(call.ctx.state, link.id);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Network',
    location: 'global',
    locationHeader: true,
  });
}

function recordType(call: ArmCall): string {
  const type = RECORD_TYPES.find((candidate) => candidate.toLowerCase() === call.params.type.toLowerCase());
  if (!type) fail(400, 'BadRequest', `The record type '${call.params.type}' is not supported.`);
  return type;
}

function putRecord(call: ArmCall) {
  const zone = requireZone(call, 'write');
  const type = recordType(call);
  const body = call.body();
  const requested = (body.properties ?? {}) as Record<string, any>;
  const id = `${zone.id}/${type}/${call.params.name.toLowerCase()}`;
  const existing = getResource(call.ctx.state, id);
  if (existing && call.req.headers['if-none-match'] === '*')
    fail(412, 'PreconditionFailed', `The record set ${call.params.name} already exists.`);
  if (type === 'A') {
    for (const entry of (requested.aRecords ?? []) as { ipv4Address?: string }[]) {
      if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(String(entry.ipv4Address ?? '')))
        fail(400, 'BadRequest', `The A record value '${entry.ipv4Address}' is not a valid IPv4 address.`);
    }
  }
  const { fqdn: _f, isAutoRegistered: _a, ...rest } = requested;
  const record = recordSetBody(zone, type, call.params.name, { ttl: 3600, ...rest });
  putResource(call.ctx.state, record);
  return json(existing ? 200 : 201, clone(record));
}

function getRecord(call: ArmCall) {
  const zone = requireZone(call);
  const record = getResource(call.ctx.state, `${zone.id}/${recordType(call)}/${call.params.name}`);
  if (!record)
    fail(
      404,
      'NotFound',
      `The resource record '${call.params.name}' does not exist in resource group '${call.params.rg}' of subscription '${call.params.sub}'.`,
    );
  return json(200, clone(record));
}

function listRecords(call: ArmCall) {
  const zone = requireZone(call);
  const wanted =
    call.params.type.toLowerCase() === 'all' ? undefined : `${ZONE_TYPE}/${recordType(call)}`.toLowerCase();
  const records = [...call.ctx.state.resources.values()].filter(
    (resource) =>
      resource.id.toLowerCase().startsWith(`${zone.id.toLowerCase()}/`) &&
      resource.type.toLowerCase().startsWith(`${ZONE_TYPE.toLowerCase()}/`) &&
      resource.type !== LINK_TYPE &&
      (!wanted || resource.type.toLowerCase() === wanted),
  );
  return json(200, { value: records.map(clone) });
}

function deleteRecord(call: ArmCall) {
  const zone = requireZone(call, 'delete');
  return { status: deleteResource(call.ctx.state, `${zone.id}/${recordType(call)}/${call.params.name}`) ? 200 : 204 };
}

export const privateDnsRoutes: ArmRoute[] = [
  {
    // PrivateZones_List: every zone in the subscription.
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/providers/Microsoft.Network/privateDnsZones',
    action: 'Microsoft.Network/privateDnsZones/read',
    handle: (call) =>
      json(200, { value: resourcesOfType(call.ctx.state, ZONE_TYPE).map((zone) => zoneView(call, zone)) }),
  },
  {
    methods: ['GET'],
    pattern: ZONES,
    action: 'Microsoft.Network/privateDnsZones/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(
          call.ctx.state,
          ZONE_TYPE,
          resourceGroupId(call.ctx.state, call.params.rg, call.params.sub),
        ).map((zone) => zoneView(call, zone)),
      }),
  },
  {
    methods: ['GET'],
    pattern: ZONE,
    action: 'Microsoft.Network/privateDnsZones/read',
    handle: (call) => json(200, zoneView(call, requireZone(call))),
  },
  { methods: ['PUT'], pattern: ZONE, action: 'Microsoft.Network/privateDnsZones/write', handle: putZone },
  { methods: ['DELETE'], pattern: ZONE, action: 'Microsoft.Network/privateDnsZones/delete', handle: deleteZone },
  {
    methods: ['GET'],
    pattern: `${ZONE}/virtualNetworkLinks`,
    action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/read',
    handle: (call) => json(200, { value: resourcesOfType(call.ctx.state, LINK_TYPE, requireZone(call).id).map(clone) }),
  },
  {
    methods: ['GET'],
    pattern: LINK,
    action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/read',
    handle: (call) => json(200, clone(requireLink(call))),
  },
  // Linking needs join/action on the VNet too; Owner and Contributor have it through '*'.
  {
    methods: ['PUT'],
    pattern: LINK,
    action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write',
    handle: putLink,
  },
  {
    methods: ['DELETE'],
    pattern: LINK,
    action: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete',
    handle: deleteLink,
  },
  {
    methods: ['GET'],
    pattern: `${ZONE}/{type}`,
    action: 'Microsoft.Network/privateDnsZones/read',
    handle: listRecords,
  },
  {
    methods: ['GET'],
    pattern: `${ZONE}/{type}/{name}`,
    action: 'Microsoft.Network/privateDnsZones/read',
    handle: getRecord,
  },
  {
    methods: ['PUT'],
    pattern: `${ZONE}/{type}/{name}`,
    action: (call) => `Microsoft.Network/privateDnsZones/${call.params.type}/write`,
    handle: putRecord,
  },
  {
    methods: ['DELETE'],
    pattern: `${ZONE}/{type}/{name}`,
    action: (call) => `Microsoft.Network/privateDnsZones/${call.params.type}/delete`,
    handle: deleteRecord,
  },
];
