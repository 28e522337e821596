/**
 * One cluster's object storage, as etcd behind an API server: every write stamps a new
 * resourceVersion (one counter per cluster, so lists and watches can resume from it), new
 * objects get a uid and creationTimestamp, and spec changes bump metadata.generation. Watchers
 * hear ADDED / MODIFIED / DELETED for their resource.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ResourceType } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Watcher {
  group: string;
  plural: string;
  namespace?: string;
  send(type: WatchEventType, object: KubeObject): void;
}

/** Fields outside metadata/status: a change here is a new generation. */
function specOf(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

export interface HistoryEntry {
  revision: number;
  type: WatchEventType;
  group: string;
  plural: string;
  object: KubeObject;
}

/** Recent changes kept so a watch started from a list's resourceVersion misses nothing. */
const HISTORY = 2000;

export class KubeStore {
  #objects = new Map<string, KubeObject>();
  /** The same objects by resource (`group|plural`): a list reads only its own kind. */
  #byType = new Map<string, Map<string, KubeObject>>();
  #revision = 1;
  #history: HistoryEntry[] = [];
  /**
   * Each stored object's JSON: a copy handed out is parsed from it, about three times cheaper
   * than structuredClone, and the controllers ask for copies on every request.
   */
  #json = new WeakMap<KubeObject, string>();
  /** Writes per resource, and what was derived from a resource's objects at a count (see `derive`). */
  #changes = new Map<string, number>();
  #derived = new Map<string, { changes: number; value: unknown }>();
  readonly watchers = new Set<Watcher>();

  /** Changes after `revision` for one resource, oldest first. */
  since(type: Pick<ResourceType, 'group' | 'plural'>, revision: number): HistoryEntry[] {
    return this.#history.filter(
      (entry) => entry.revision > revision && entry.group === type.group && entry.plural === type.plural,
    );
  }

  static key(group: string, plural: string, namespace: string | undefined, name: string): string {
    return `${group}|${plural}|${namespace ?? ''}|${name}`;
  }

  get revision(): string {
    return String(this.#revision);
  }

  get(
    type: Pick<ResourceType, 'group' | 'plural'>,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const found = this.#objects.get(KubeStore.key(type.group, type.plural, namespace, name));
    return found ? this.#copy(found) : undefined;
  }

  /**
   * Copies of a resource's objects (in a namespace), in namespace and name order. `matches`
   * is asked before copying: a selector over Helm's release Secrets then copies only the few
   * it keeps, not every release's payload.
   */
  list(
    type: Pick<ResourceType, 'group' | 'plural'>,
    namespace?: string,
    matches: (object: KubeObject) => boolean = () => true,
  ): KubeObject[] {
    const kept: [string, KubeObject][] = [];
    for (const object of this.#byType.get(`${type.group}|${type.plural}`)?.values() ?? []) {
      if (namespace !== undefined && object.metadata.namespace !== namespace) continue;
      if (!matches(object)) continue;
      kept.push([`${object.metadata.namespace ?? ''}/${object.metadata.name}`, object]);
    }
    // In etcd's key order (bytes of namespace/name), as an API server lists.
    kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return kept.map(([, object]) => this.#copy(object));
  }

  /**
   * A value computed from one resource's objects (e.g. the types the CRDs serve), computed again
   * only after that resource changed. `compute` must not keep what it is given.
   */
  derive<T>(type: Pick<ResourceType, 'group' | 'plural'>, name: string, compute: () => T): T {
    const id = `${type.group}|${type.plural}`;
    const changes = this.#changes.get(id) ?? 0;
    const kept = this.#derived.get(`${id}|${name}`);
    if (kept && kept.changes === changes) return kept.value as T;
    const value = compute();
    this.#derived.set(`${id}|${name}`, { changes, value });
    return value;
  }

  /** How many objects of a resource there are. */
  size(type: Pick<ResourceType, 'group' | 'plural'>): number {
    return this.#byType.get(`${type.group}|${type.plural}`)?.size ?? 0;
  }

  /** Stores an object (create or replace), stamping server fields. Returns the stored copy. */
  put(type: ResourceType, object: KubeObject, now: number): KubeObject {
    const key = KubeStore.key(
      type.group,
      type.plural,
      type.namespaced ? object.metadata.namespace : undefined,
      object.metadata.name,
    );
    const previous = this.#objects.get(key);
    const stored: KubeObject = JSON.parse(JSON.stringify(object));
    stored.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    stored.kind = type.kind;
    if (!type.namespaced) delete stored.metadata.namespace;
    if (previous) {
      stored.metadata.uid = previous.metadata.uid;
      stored.metadata.creationTimestamp = previous.metadata.creationTimestamp;
      const changed = !isDeepStrictEqual(specOf(previous), specOf(stored));
      stored.metadata.generation = (previous.metadata.generation ?? 1) + (changed ? 1 : 0);
      if (
        isDeepStrictEqual(
          { ...previous, metadata: { ...previous.metadata, resourceVersion: '' } },
          { ...stored, metadata: { ...stored.metadata, resourceVersion: '' } },
        )
      ) {
        return this.#copy(previous);
      }
    } else {
      stored.metadata.uid = randomUUID();
      stored.metadata.creationTimestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      stored.metadata.generation = 1;
    }
    this.#revision += 1;
    stored.metadata.resourceVersion = String(this.#revision);
    this.#json.set(stored, JSON.stringify(stored));
    this.#objects.set(key, stored);
    this.#typeMap(type).set(key, stored);
    this.#notify(type, previous ? 'MODIFIED' : 'ADDED', stored);
    return this.#copy(stored);
  }

  remove(
    type: Pick<ResourceType, 'group' | 'plural' | 'namespaced'>,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const key = KubeStore.key(type.group, type.plural, type.namespaced ? namespace : undefined, name);
    const previous = this.#objects.get(key);
    if (!previous) return undefined;
    this.#objects.delete(key);
    this.#typeMap(type).delete(key);
    this.#revision += 1;
    const gone = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(this.#revision) } };
    this.#json.set(gone, JSON.stringify(gone));
    this.#notify(type, 'DELETED', gone);
    return this.#copy(gone);
  }

  #typeMap(type: Pick<ResourceType, 'group' | 'plural'>): Map<string, KubeObject> {
    const id = `${type.group}|${type.plural}`;
    let map = this.#byType.get(id);
    if (!map) this.#byType.set(id, (map = new Map()));
    return map;
  }

  #copy(object: KubeObject): KubeObject {
    return JSON.parse(this.#json.get(object) ?? JSON.stringify(object));
  }

  #notify(type: Pick<ResourceType, 'group' | 'plural'>, event: WatchEventType, object: KubeObject): void {
    const id = `${type.group}|${type.plural}`;
    this.#changes.set(id, (this.#changes.get(id) ?? 0) + 1);
    this.#history.push({
      revision: this.#revision,
      type: event,
      group: type.group,
      plural: type.plural,
      object: this.#copy(object),
    });
    if (this.#history.length > HISTORY * 1.2) this.#history.splice(0, this.#history.length - HISTORY);
    for (const watcher of this.watchers) {
      if (watcher.group !== type.group || watcher.plural !== type.plural) continue;
      if (watcher.namespace !== undefined && object.metadata.namespace !== watcher.namespace) continue;
      watcher.send(event, this.#copy(object));
    }
  }
}
