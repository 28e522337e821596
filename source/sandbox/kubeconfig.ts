/**
 * The kubeconfig for a running sandbox: one cluster, user and context per simulated cluster,
 * named as the world names the context; `server` is the cluster's API under the sandbox URL,
 * trusted through the sandbox CA (certificate-authority-data), and the user authenticates with
 * the operator's bearer token. Written 0600 to a file the caller removes when it stops.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { SandboxState } from './world/state.js';

export function kubeconfigYaml(state: SandboxState, url: string, caPem: string): string {
  const operator = state.principals.get(state.operatorId);
  const contexts = [...state.clusters.keys()];
  const ca = Buffer.from(caPem, 'utf8').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: contexts.map((context) => ({
      name: context,
      cluster: { server: `${url}/_sandbox/k8s/${encodeURIComponent(context)}`, 'certificate-authority-data': ca },
    })),
    users: contexts.map((context) => ({ name: `${context}-operator`, user: { token: operator?.token ?? '' } })),
    contexts: contexts.map((context) => ({
      name: context,
      context: { cluster: context, user: `${context}-operator` },
    })),
    ...(contexts[0] ? { 'current-context': contexts[0] } : {}),
  });
}

export async function writeKubeconfig(
  directory: string,
  state: SandboxState,
  url: string,
  caPem: string,
): Promise<string> {
  const file = path.join(directory, 'kubeconfig');
  await writeFile(file, kubeconfigYaml(state, url, caPem), { mode: 0o600 });
  return file;
}
