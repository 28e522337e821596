/**
 * Which resource types a cluster serves: the built-in ones plus one per served version of
 * every stored CustomResourceDefinition, as an API server adds CRDs to discovery.
 */
import { BUILTIN_TYPES } from './resources.js';
import type { KubeStore } from './store.js';
import { ALL_VERBS, groupVersion, type KubeObject, type ResourceType } from './types.js';

export const CRD_TYPE = BUILTIN_TYPES.find((type) => type.plural === 'customresourcedefinitions')!;

function crdTypes(crd: KubeObject): ResourceType[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  return (spec.versions ?? [])
    .filter((version: { served?: boolean }) => version.served !== false)
    .map((version: { name: string; subresources?: Record<string, unknown> }) => ({
      group: String(spec.group ?? ''),
      version: version.name,
      kind: String(names.kind ?? ''),
      plural: String(names.plural ?? ''),
      singular: String(names.singular ?? String(names.kind ?? '').toLowerCase()),
      namespaced: spec.scope !== 'Cluster',
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
      verbs: ALL_VERBS,
      subresources: Object.keys(version.subresources ?? {}),
    }));
}

export function resourceTypes(store: KubeStore): ResourceType[] {
  // Asked on almost every request; the CRDs behind it change rarely.
  return [...store.derive(CRD_TYPE, 'types', () => [...BUILTIN_TYPES, ...store.list(CRD_TYPE).flatMap(crdTypes)])];
}

/** The type of a manifest (`apiVersion` + `kind`). */
export function typeOfObject(
  store: KubeStore,
  object: Pick<KubeObject, 'apiVersion' | 'kind'>,
): ResourceType | undefined {
  return resourceTypes(store).find((type) => groupVersion(type) === object.apiVersion && type.kind === object.kind);
}

/** A built-in type by plural (and group), for the sandbox's own controllers. */
export function builtin(plural: string, group = ''): ResourceType {
  const found = BUILTIN_TYPES.find((type) => type.plural === plural && type.group === group);
  if (!found) throw new Error(`no built-in resource ${plural}.${group}`);
  return found;
}
