/**
 * The REST verbs on a resource: list (selectors, watch), create, get, update, patch (JSON,
 * merge, strategic merge, server-side apply), delete (with the garbage collector's cascade),
 * and the subresources the clients use (status, log, SelfSubjectAccessReview).
 */
import { parse as parseYaml } from 'yaml';
import type { SandboxResponse } from '../http.js';
import { allowed } from './authz.js';
import type { ApiCluster, ApiRequest } from './cluster.js';
import { applyDefaults } from './defaults.js';
import { podLog } from './logs.js';
import { PROTOBUF, decodeProtobuf } from './protobuf.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { builtin } from './registry.js';
import { fieldMatcher, labelMatcher } from './selectors.js';
import {
  JSON_HEADERS,
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  methodNotAllowed,
  notFound,
} from './status.js';
import { cascadeDelete } from './gc.js';
import { groupVersion, type KubeObject, type ResourceType } from './types.js';
import { toTable, wantsTable } from './table.js';
import { watchResponse } from './watch.js';

export interface Scope {
  cluster: ApiCluster;
  type: ResourceType;
  request: ApiRequest;
  afterWrite: () => void;
  verb: string;
  namespace?: string;
  name?: string;
  sub?: string;
}

const answer = (status: number, body: unknown): SandboxResponse => ({ status, headers: JSON_HEADERS, body });

function readBody(request: ApiRequest): any {
  if ((request.headers['content-type'] ?? '').startsWith(PROTOBUF)) {
    try {
      return decodeProtobuf(request.body);
    } catch (error) {
      throw new StatusError(415, 'UnsupportedMediaType', (error as Error).message);
    }
  }
  const text = request.body.toString('utf8');
  if (!text.trim()) throw badRequest('the body of the request was empty');
  try {
    return (request.headers['content-type'] ?? '').includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`the object provided is unrecognized: ${(error as Error).message}`);
  }
}

function managerOf(request: ApiRequest, fallback: string): string {
  const agent = (request.headers['user-agent'] ?? '').split('/')[0];
  return request.query.get('fieldManager') ?? (agent || fallback);
}

function stampManager(object: KubeObject, manager: string, operation: 'Apply' | 'Update', now: number): void {
  const others = (object.metadata.managedFields ?? []).filter(
    (entry) => !(entry.manager === manager && entry.operation === operation),
  );
  object.metadata.managedFields = [
    ...others,
    {
      manager,
      operation,
      apiVersion: object.apiVersion,
      time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    },
  ];
}

const dryRun = (request: ApiRequest) => request.query.getAll('dryRun').includes('All');

function requireNamespace(scope: Scope): void {
  if (scope.namespace === undefined || !scope.type.namespaced) return;
  if (!scope.cluster.store.get(builtin('namespaces'), undefined, scope.namespace))
    throw notFound(builtin('namespaces'), scope.namespace);
}

/** Stores (unless dry-run) and lets the controllers react. */
function save(scope: Scope, object: KubeObject, previous: KubeObject | undefined, statusOnly = false): KubeObject {
  const { cluster, type, request } = scope;
  if (!statusOnly) applyDefaults(object, previous, () => cluster.serviceCount++);
  if (dryRun(request))
    return { ...object, metadata: { ...object.metadata, resourceVersion: previous?.metadata.resourceVersion ?? '' } };
  const stored = cluster.store.put(type, object, request.now);
  scope.afterWrite();
  return cluster.store.get(type, stored.metadata.namespace, stored.metadata.name) ?? stored;
}

function list(scope: Scope): SandboxResponse {
  const { cluster, type, request } = scope;
  const labels = labelMatcher(request.query.get('labelSelector'));
  const fields = fieldMatcher(request.query.get('fieldSelector'));
  const matches = (object: KubeObject) =>
    (scope.namespace === undefined || object.metadata.namespace === scope.namespace) &&
    labels(object.metadata.labels) &&
    fields(object);
  const items = cluster.store.list(type, scope.namespace, matches);
  if (scope.verb === 'watch') {
    const from = Number(request.query.get('resourceVersion') ?? '');
    return watchResponse(cluster.store, {
      type,
      ...(scope.namespace !== undefined ? { namespace: scope.namespace } : {}),
      matches,
      sendInitialEvents: request.query.get('sendInitialEvents') === 'true',
      ...(request.query.get('timeoutSeconds') ? { timeoutSeconds: Number(request.query.get('timeoutSeconds')) } : {}),
      ...(Number.isFinite(from) && from > 0 ? { fromRevision: from } : {}),
      initial: items,
    });
  }
  if (wantsTable(request.headers.accept))
    return answer(200, toTable(type.kind, items, cluster.store.revision, request.now));
  return answer(200, {
    kind: `${type.kind}List`,
    apiVersion: groupVersion(type),
    metadata: { resourceVersion: cluster.store.revision },
    items,
  });
}

function selfSubjectAccessReview(scope: Scope, body: any): SandboxResponse {
  const attributes = body?.spec?.resourceAttributes ?? {};
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : String(attributes.resource ?? '');
  const ok = allowed(scope.cluster.access, {
    verb: String(attributes.verb ?? ''),
    resource,
    group: attributes.group ?? '',
    ...(attributes.namespace ? { namespace: attributes.namespace } : {}),
  });
  return answer(201, { ...body, status: { allowed: ok, ...(ok ? {} : { reason: '' }) } });
}

function create(scope: Scope): SandboxResponse {
  const { cluster, type, request } = scope;
  const body = readBody(request);
  if (type.plural === 'selfsubjectaccessreviews') return selfSubjectAccessReview(scope, body);
  if (type.virtual)
    return answer(201, { ...body, status: { incomplete: true, resourceRules: [], nonResourceRules: [] } });
  if (body?.metadata?.namespace && scope.namespace && body.metadata.namespace !== scope.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const object: KubeObject = { ...body, metadata: { ...(body.metadata ?? {}) } };
  if (!object.metadata.name && object.metadata.generateName) {
    object.metadata.name = `${object.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
  }
  if (!object.metadata.name)
    throw new StatusError(
      422,
      'Invalid',
      `${type.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
    );
  if (type.namespaced) object.metadata.namespace = scope.namespace;
  requireNamespace(scope);
  if (cluster.store.get(type, scope.namespace, object.metadata.name)) throw alreadyExists(type, object.metadata.name);
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields'])
    delete object.metadata[field];
  stampManager(object, managerOf(request, 'unknown'), 'Update', request.now);
  return answer(201, save(scope, object, undefined));
}

function current(scope: Scope): KubeObject {
  const found = scope.cluster.store.get(scope.type, scope.namespace, scope.name!);
  if (!found) throw notFound(scope.type, scope.name!);
  return found;
}

function update(scope: Scope): SandboxResponse {
  const { request } = scope;
  const previous = current(scope);
  const body = readBody(request) as KubeObject;
  if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== previous.metadata.resourceVersion)
    throw conflict(scope.type, scope.name!);
  if (scope.sub === 'status') return answer(200, save(scope, { ...previous, status: body.status }, previous, true));
  const object: KubeObject = {
    ...body,
    metadata: {
      ...body.metadata,
      name: previous.metadata.name,
      ...(scope.namespace ? { namespace: scope.namespace } : {}),
      managedFields: previous.metadata.managedFields,
    },
  };
  stampManager(object, managerOf(request, 'unknown'), 'Update', request.now);
  return answer(200, save(scope, object, previous));
}

function patch(scope: Scope): SandboxResponse {
  const { type, request } = scope;
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
  const body = readBody(request);
  const existing = scope.cluster.store.get(type, scope.namespace, scope.name!);
  if (contentType === 'application/apply-patch+yaml' || contentType === 'application/apply-patch+json') {
    return serverSideApply(scope, body, existing);
  }
  if (!existing) throw notFound(type, scope.name!);
  let patched: KubeObject;
  switch (contentType) {
    case 'application/merge-patch+json':
      patched = mergePatch(existing, body);
      break;
    case 'application/strategic-merge-patch+json':
      if (
        ![
          '',
          'apps',
          'batch',
          'policy',
          'rbac.authorization.k8s.io',
          'storage.k8s.io',
          'networking.k8s.io',
          'apiextensions.k8s.io',
          'events.k8s.io',
        ].includes(type.group)
      ) {
        throw new StatusError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      }
      patched = strategicMergePatch(existing, body);
      break;
    case 'application/json-patch+json':
      try {
        patched = jsonPatch(existing, body);
      } catch (error) {
        throw new StatusError(422, 'Invalid', (error as Error).message);
      }
      break;
    default:
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
  patched.metadata = { ...patched.metadata, name: existing.metadata.name, uid: existing.metadata.uid };
  if (scope.sub === 'status') return answer(200, save(scope, { ...existing, status: patched.status }, existing, true));
  stampManager(patched, managerOf(request, 'unknown'), 'Update', request.now);
  return answer(200, save(scope, patched, existing));
}

/**
 * Server-side apply, light: the applied configuration is the manager's whole intent, so a
 * re-apply by the only manager replaces the object's fields (dropping what it no longer sets);
 * with other managers present it merges over their fields. Status stays the server's.
 */
function serverSideApply(scope: Scope, body: any, existing: KubeObject | undefined): SandboxResponse {
  const { request, type } = scope;
  const manager = request.query.get('fieldManager');
  if (!manager) throw badRequest('PATCH, application/apply-patch+yaml requests require a fieldManager parameter');
  if (groupVersion(type) !== body?.apiVersion || type.kind !== body?.kind) {
    throw badRequest(
      `the API version in the data (${body?.apiVersion}) does not match the expected API version (${groupVersion(type)})`,
    );
  }
  const applied: KubeObject = {
    ...body,
    metadata: {
      ...(body.metadata ?? {}),
      name: scope.name,
      ...(scope.namespace ? { namespace: scope.namespace } : {}),
    },
  };
  if (!existing) {
    requireNamespace(scope);
    stampManager(applied, manager, 'Apply', request.now);
    return answer(201, save(scope, applied, undefined));
  }
  const soleOwner = (existing.metadata.managedFields ?? []).every((entry) => entry.manager === manager);
  const merged: KubeObject = soleOwner
    ? {
        ...applied,
        metadata: { ...existing.metadata, labels: applied.metadata.labels, annotations: applied.metadata.annotations },
      }
    : strategicMergePatch(existing, applied);
  merged.metadata.managedFields = existing.metadata.managedFields;
  stampManager(merged, manager, 'Apply', request.now);
  return answer(200, save(scope, merged, existing));
}

function remove(scope: Scope): SandboxResponse {
  const { cluster, type, request } = scope;
  const existing = current(scope);
  if (dryRun(request)) return answer(200, existing);
  const orphan =
    request.query.get('propagationPolicy') === 'Orphan' ||
    /"propagationPolicy":"Orphan"/.test(request.body.toString('utf8'));
  cascadeDelete(cluster, type, existing, !orphan);
  scope.afterWrite();
  return answer(200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: existing.metadata.name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.plural,
      uid: existing.metadata.uid,
    },
  });
}

export function handleCollection(scope: Scope): SandboxResponse {
  switch (scope.verb) {
    case 'list':
    case 'watch':
      return list(scope);
    case 'create':
      return create(scope);
    case 'deletecollection': {
      const labels = labelMatcher(scope.request.query.get('labelSelector'));
      for (const object of scope.cluster.store
        .list(scope.type, scope.namespace)
        .filter((o) => labels(o.metadata.labels)))
        cascadeDelete(scope.cluster, scope.type, object, true);
      scope.afterWrite();
      return answer(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
    }
    default:
      throw methodNotAllowed();
  }
}

export function handleObject(scope: Scope): SandboxResponse {
  if (scope.sub === 'log') {
    if (scope.verb !== 'get') throw methodNotAllowed();
    return podLog(scope.cluster, current(scope), scope.request.query.get('container') ?? undefined);
  }
  if (scope.sub && scope.sub !== 'status') {
    if (scope.verb === 'get') return answer(200, current(scope));
    throw methodNotAllowed();
  }
  switch (scope.verb) {
    case 'get': {
      const found = current(scope);
      return wantsTable(scope.request.headers.accept)
        ? answer(200, toTable(scope.type.kind, [found], found.metadata.resourceVersion ?? '', scope.request.now))
        : answer(200, found);
    }
    case 'watch': {
      const name = scope.name!;
      return list({
        ...scope,
        request: {
          ...scope.request,
          query: new URLSearchParams([...scope.request.query, ['fieldSelector', `metadata.name=${name}`]]),
        },
      });
    }
    case 'update':
      return update(scope);
    case 'patch':
      return patch(scope);
    case 'delete':
      return remove(scope);
    default:
      throw methodNotAllowed();
  }
}
