/**
 * Watches: a chunked stream of `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK","object":{…}}` lines.
 * With `sendInitialEvents=true` (client-go's watch-list) the current objects come first as
 * ADDED, then a BOOKMARK annotated `k8s.io/initial-events-end`; `timeoutSeconds` ends the
 * stream as the server would, and the client re-lists or re-watches.
 */
import type { SandboxResponse } from '../http.js';
import type { KubeStore, WatchEventType } from './store.js';
import type { KubeObject, ResourceType } from './types.js';

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  matches: (object: KubeObject) => boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  /** Replay changes after this resourceVersion (the list the client just made). */
  fromRevision?: number;
  /** Table or partial-object clients get objects as they are; kept simple here. */
  initial: KubeObject[];
}

export function watchResponse(store: KubeStore, request: WatchRequest): SandboxResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    stream: (sink) => {
      const line = (type: WatchEventType | 'BOOKMARK', object: KubeObject) =>
        sink.write(`${JSON.stringify({ type, object })}\n`);
      const watcher = {
        group: request.type.group,
        plural: request.type.plural,
        ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
        send: (type: WatchEventType, object: KubeObject) => {
          if (request.matches(object)) line(type, object);
        },
      };
      if (request.sendInitialEvents) {
        for (const object of request.initial) line('ADDED', object);
        line('BOOKMARK', {
          apiVersion: request.type.group ? `${request.type.group}/${request.type.version}` : request.type.version,
          kind: request.type.kind,
          metadata: { name: '', resourceVersion: store.revision, annotations: { 'k8s.io/initial-events-end': 'true' } },
        });
      }
      if (!request.sendInitialEvents && request.fromRevision !== undefined) {
        for (const entry of store.since(request.type, request.fromRevision)) watcher.send(entry.type, entry.object);
      }
      store.watchers.add(watcher);
      const timer = setTimeout(() => sink.end(), (request.timeoutSeconds ?? 1800) * 1000);
      timer.unref();
      sink.onClose(() => {
        clearTimeout(timer);
        store.watchers.delete(watcher);
      });
    },
  };
}
