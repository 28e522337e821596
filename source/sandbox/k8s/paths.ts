/**
 * Parses an API server path into what it names: a discovery document, an OpenAPI document,
 * or a resource (collection, object or subresource), as k8s.io/apiserver's RequestInfo does.
 */
export type ApiPath =
  | { kind: 'version' }
  | { kind: 'core-versions' }
  | { kind: 'groups' }
  | { kind: 'group'; group: string }
  | { kind: 'resources'; group: string; version: string }
  | { kind: 'openapi'; path: string }
  | {
      kind: 'resource';
      group: string;
      version: string;
      plural: string;
      namespace?: string;
      name?: string;
      sub?: string;
    }
  | { kind: 'unknown' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function resourcePath(group: string, version: string, rest: string[]): ApiPath {
  if (rest.length === 0) return { kind: 'resources', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!))) {
    const [, namespace, plural, name, sub, ...extra] = rest;
    if (extra.length > 0) return { kind: 'unknown' };
    return {
      kind: 'resource',
      group,
      version,
      plural: plural!,
      namespace,
      ...(name ? { name } : {}),
      ...(sub ? { sub } : {}),
    };
  }
  const [plural, name, sub, ...extra] = rest;
  if (extra.length > 0) return { kind: 'unknown' };
  return { kind: 'resource', group, version, plural: plural!, ...(name ? { name } : {}), ...(sub ? { sub } : {}) };
}

export function parseApiPath(pathname: string): ApiPath {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 1 && parts[0] === 'version') return { kind: 'version' };
  if (parts[0] === 'openapi') return { kind: 'openapi', path: parts.slice(1).join('/') };
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'core-versions' };
    return resourcePath('', parts[1]!, parts.slice(2));
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'groups' };
    if (parts.length === 2) return { kind: 'group', group: parts[1]! };
    return resourcePath(parts[1]!, parts[2]!, parts.slice(3));
  }
  return { kind: 'unknown' };
}
