/**
 * The OpenAPI documents kubectl and helm read: `/openapi/v3` (an index of group-version
 * documents) and each group-version document with the resource paths and the query
 * parameters they accept (kubectl looks for `fieldValidation` there to validate on the
 * server), plus `/openapi/v2`. No schemas: kubectl then patches built-in kinds with its
 * compiled-in types and custom ones with merge patches, as it does for schemaless resources.
 */
import { groupVersion, type ResourceType } from './types.js';

const param = (name: string) => ({ name, in: 'query', schema: { type: 'string' }, uniqueItems: true });
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map(param);

function operations(type: ResourceType, item: boolean) {
  const gvk = { group: type.group, version: type.version, kind: type.kind };
  const op = (action: string, extra: object[] = []) => ({
    operationId: `${action}${type.kind}`,
    parameters: extra,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  return item
    ? {
        get: op('get'),
        put: op('put', WRITE_PARAMS),
        patch: op('patch', [...WRITE_PARAMS, param('force')]),
        delete: op('delete', [param('dryRun')]),
      }
    : { get: op('list'), post: op('post', WRITE_PARAMS) };
}

function paths(types: readonly ResourceType[], group: string, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of types.filter((t) => t.group === group && t.version === version)) {
    const root = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const base = type.namespaced ? `${root}/namespaces/{namespace}/${type.plural}` : `${root}/${type.plural}`;
    out[base] = operations(type, false);
    if (!type.virtual) out[`${base}/{name}`] = operations(type, true);
  }
  return out;
}

function groupVersions(types: readonly ResourceType[]): string[] {
  return [...new Set(types.map((type) => (type.group ? `apis/${groupVersion(type)}` : `api/${type.version}`)))];
}

export function openApiDocument(types: readonly ResourceType[], path: string): Record<string, unknown> | undefined {
  if (path === 'v2')
    return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.3' }, paths: {}, definitions: {} };
  if (path === 'v3') {
    return {
      paths: Object.fromEntries(
        groupVersions(types).map((gv) => [
          gv,
          { serverRelativeURL: `/openapi/v3/${gv}?hash=${Buffer.from(gv).toString('hex').slice(0, 16)}` },
        ]),
      ),
    };
  }
  const match = /^v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!match) return undefined;
  const [group, version] = match[1] ? ['', match[1]] : [match[2]!, match[3]!];
  if (!types.some((type) => type.group === group && type.version === version)) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.3' },
    paths: paths(types, group, version),
    components: { schemas: {} },
  };
}
