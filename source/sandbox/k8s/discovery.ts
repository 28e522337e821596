/**
 * Discovery documents (`/version`, `/api`, `/api/v1`, `/apis`, `/apis/<group>[/<version>]`)
 * in the legacy (unaggregated) form. kubectl and helm ask for the aggregated form first
 * (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`) and fall
 * back to these when the answer's content type says it is the plain form.
 */
import { groupVersion, type ResourceType } from './types.js';

export function versionInfo(serverVersion: string): Record<string, string> {
  const [major, minor] = serverVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion: serverVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:443' }],
  };
}

function groupEntry(name: string, versions: string[]) {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

function groups(types: readonly ResourceType[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const type of types) {
    if (!type.group) continue;
    const versions = out.get(type.group) ?? [];
    if (!versions.includes(type.version)) versions.push(type.version);
    out.set(type.group, versions);
  }
  return out;
}

export function groupList(types: readonly ResourceType[]): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups(types)].map(([name, versions]) => groupEntry(name, versions)),
  };
}

export function apiGroup(types: readonly ResourceType[], name: string): Record<string, unknown> | undefined {
  const versions = groups(types).get(name);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(name, versions) } : undefined;
}

export function resourceList(
  types: readonly ResourceType[],
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const mine = types.filter((type) => type.group === group && type.version === version);
  if (mine.length === 0) return undefined;
  const resources = mine.flatMap((type) => [
    {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs,
      ...(type.shortNames ? { shortNames: type.shortNames } : {}),
      ...(type.categories ? { categories: type.categories } : {}),
      storageVersionHash: Buffer.from(`${type.group}/${type.plural}`).toString('base64').slice(0, 11),
    },
    ...(type.subresources ?? []).map((sub) => ({
      name: `${type.plural}/${sub}`,
      singularName: '',
      namespaced: type.namespaced,
      kind: sub === 'log' ? 'Pod' : sub === 'scale' ? 'Scale' : sub === 'token' ? 'TokenRequest' : type.kind,
      verbs: sub === 'log' ? ['get'] : sub === 'token' ? ['create'] : ['get', 'patch', 'update'],
    })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}
