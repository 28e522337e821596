/**
 * The simulated Kubernetes API server of one cluster: discovery, OpenAPI, and the REST verbs
 * on every served resource (get, list, watch, create, update, patch, delete), answering
 * failures as a real server does (Status bodies, 404 for unknown resources, 405 for verbs a
 * resource doesn't have). `afterWrite` runs the cluster's controllers after each change.
 */
import type { SandboxResponse } from '../http.js';
import { allowed } from './authz.js';
import type { ApiCluster, ApiRequest } from './cluster.js';
import { handleCollection, handleObject } from './crud.js';
import { apiGroup, coreVersions, groupList, resourceList, versionInfo } from './discovery.js';
import { openApiDocument } from './openapi.js';
import { parseApiPath } from './paths.js';
import { resourceTypes } from './registry.js';
import { JSON_HEADERS, StatusError, forbidden, methodNotAllowed, noSuchPath, statusResponse } from './status.js';

/** gnostic's openapi_v2.Document {swagger: "2.0", info: {title: "Kubernetes", version: "v1"}}: no definitions. */
const EMPTY_OPENAPI_V2_PROTOBUF = Buffer.from([
  0x0a,
  0x03,
  ...Buffer.from('2.0'),
  0x12,
  0x10,
  0x0a,
  0x0a,
  ...Buffer.from('Kubernetes'),
  0x12,
  0x02,
  ...Buffer.from('v1'),
]);

const ok = (body: unknown): SandboxResponse => ({ status: 200, headers: JSON_HEADERS, body });

const VERB_OF: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

function verbOf(request: ApiRequest, hasName: boolean): string {
  if (request.method === 'GET' || request.method === 'HEAD') {
    if (request.query.get('watch') === 'true' || request.query.get('watch') === '1') return 'watch';
    return hasName ? 'get' : 'list';
  }
  if (request.method === 'DELETE' && !hasName) return 'deletecollection';
  return VERB_OF[request.method] ?? request.method.toLowerCase();
}

function route(cluster: ApiCluster, request: ApiRequest, afterWrite: () => void): SandboxResponse {
  const path = parseApiPath(request.path);
  const read = request.method === 'GET' || request.method === 'HEAD';
  const types = resourceTypes(cluster.store);
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw noSuchPath();
    return value;
  };
  switch (path.kind) {
    case 'version':
      return ok(versionInfo(cluster.serverVersion));
    case 'core-versions':
      return ok(coreVersions());
    case 'groups':
      return ok(groupList(types));
    case 'group':
      return ok(need(apiGroup(types, path.group)));
    case 'resources':
      return ok(need(resourceList(types, path.group, path.version)));
    case 'openapi':
      if (!read) throw methodNotAllowed();
      // kubectl asks for the v2 document in protobuf only (client-side validation).
      if (path.path === 'v2' && !/json|\*\/\*/.test(request.headers.accept ?? 'application/json')) {
        return {
          status: 200,
          headers: { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' },
          body: EMPTY_OPENAPI_V2_PROTOBUF,
        };
      }
      return ok(need(openApiDocument(types, path.path)));
    case 'unknown':
      throw noSuchPath();
    default:
      break;
  }
  const type = types.find(
    (candidate) =>
      candidate.group === path.group && candidate.version === path.version && candidate.plural === path.plural,
  );
  if (!type) throw noSuchPath();
  if (path.namespace !== undefined && !type.namespaced) throw noSuchPath();
  if (path.sub && !(type.subresources ?? []).includes(path.sub)) throw noSuchPath();
  const verb = verbOf(request, path.name !== undefined);
  if (!type.verbs.includes(verb) && !(path.sub && ['get', 'update', 'patch', 'create'].includes(verb)))
    throw methodNotAllowed();
  // For a Namespace object, RBAC's namespace attribute is the namespace itself.
  const namespace = type.plural === 'namespaces' && !type.group ? path.name : path.namespace;
  const resource = path.sub ? `${type.plural}/${path.sub}` : type.plural;
  if (
    !allowed(cluster.access, { verb, resource, group: type.group, ...(namespace !== undefined ? { namespace } : {}) })
  ) {
    throw forbidden(request.user, verb, type, namespace, path.name);
  }
  const scope = {
    cluster,
    type,
    request,
    afterWrite,
    verb,
    ...(path.namespace !== undefined ? { namespace: path.namespace } : {}),
  };
  return path.name === undefined
    ? handleCollection(scope)
    : handleObject({ ...scope, name: path.name, ...(path.sub ? { sub: path.sub } : {}) });
}

export function serveKubeApi(cluster: ApiCluster, request: ApiRequest, afterWrite: () => void): SandboxResponse {
  try {
    return route(cluster, request, afterWrite);
  } catch (error) {
    if (error instanceof StatusError) return statusResponse(error);
    throw error;
  }
}
