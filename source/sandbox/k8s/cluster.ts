/**
 * What the API server needs of one simulated cluster: its store, version, who may do what,
 * the pods' logs, and a hook that lets the cluster's controllers react to every write.
 */
import type { ClusterAccess } from './authz.js';
import type { KubeStore } from './store.js';

export interface ApiCluster {
  store: KubeStore;
  serverVersion: string;
  access: ClusterAccess;
  /** `<namespace>/<pod>/<container>` → log text, written by the pod simulation. */
  logs: Map<string, string>;
  /** Counts Services, for cluster IPs. */
  serviceCount: number;
}

export interface ApiRequest {
  method: string;
  /** The path after the cluster's prefix, e.g. `/api/v1/namespaces`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Shown in Forbidden messages, as a real API server names the user. */
  user: string;
  now: number;
}
