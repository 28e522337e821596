/**
 * A pod of the chart's kv-monitor CronJob: its container runs a script from a mounted
 * ConfigMap that prints `FEATHR_MONITOR_RESULT`. The sandbox can't run it, so it does what the
 * script does (charts/feathr-online/files/kv-monitor.sh): judge the path from the pod's node
 * (monitor-judge.ts), keep the run in the results ConfigMap under `run-<epoch>-<pod>` (the
 * oldest dropped past KEEP_RESULTS), post a Warning Event `KeyVaultPathBroken` on the
 * SecretProviderClass for a failure, print its lines and exit 1 when a check failed.
 */
import type { SandboxState } from '../world/state.js';
import { judgeMonitorRun, type Env, type MonitorVerdict } from './monitor-judge.js';
import { T, getSpc, servedType, SPC_GROUP } from './objects.js';
import type { ClusterNode, ClusterState, KubeObject } from './state.js';

const MONITOR_MARKER = 'FEATHR_MONITOR_RESULT';

type Container = {
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
};

/** The script file the container runs comes from a ConfigMap volume holding the monitor. */
export function isMonitorContainer(cluster: ClusterState, pod: KubeObject, container: Container): boolean {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.spec?.volumes ?? []).find((v: { name: string }) => v.name === mount.name);
    const configMap = volume?.configMap?.name
      ? cluster.store.get(T.configMap, pod.metadata.namespace, volume.configMap.name)
      : undefined;
    for (const [key, text] of Object.entries((configMap?.data ?? {}) as Record<string, string>)) {
      if (text.includes(MONITOR_MARKER) && argv.some((part) => part === `${mount.mountPath.replace(/\/$/, '')}/${key}`))
        return true;
    }
  }
  return false;
}

function environment(pod: KubeObject, container: Container, node: ClusterNode): Env {
  const env: Env = {};
  for (const entry of container.env ?? []) {
    const path = entry.valueFrom?.fieldRef?.fieldPath;
    env[entry.name] =
      path === 'spec.nodeName'
        ? node.name
        : path === 'metadata.namespace'
          ? pod.metadata.namespace!
          : path === 'metadata.name'
            ? pod.metadata.name
            : (entry.value ?? '');
  }
  return env;
}

/** As the script's esc(): no control characters, quotes or backslashes, at most 400 characters. */
const printable = (text: string) => [...text].filter((c) => c.charCodeAt(0) >= 32).join('');
const esc = (text: string) => printable(text).replace(/["\\]/g, '').slice(0, 400);

function mountedVersions(cluster: ClusterState, namespace: string, spc: string): { id: string; version: string }[] {
  const type = servedType(cluster, SPC_GROUP, 'secretproviderclasspodstatuses');
  return (type ? cluster.store.list(type, namespace) : [])
    .filter((s) => s.status?.secretProviderClassName === spc)
    .flatMap((s) => s.status?.objects ?? []);
}

function record(v: MonitorVerdict, node: string, stamp: string): string {
  const ok = v.first === '';
  return `{"time":"${stamp}","node":"${esc(node)}","address":"${esc(v.client)}","ok":${ok},"failed":"${v.first}","checks":{${Object.entries(
    v.checks,
  )
    .map(([k, r]) => `"${k}":"${r}"`)
    .join(',')}}}`;
}

/** Writes what the script writes and returns its log and exit code. */
export function runMonitorPod(
  state: SandboxState,
  cluster: ClusterState,
  pod: KubeObject,
  container: Container,
  node: ClusterNode,
  now: number,
): { log: string; exitCode: number } {
  const env = environment(pod, container, node);
  const ns = pod.metadata.namespace!;
  const verdict = judgeMonitorRun(
    state,
    cluster,
    pod,
    node,
    env,
    mountedVersions(cluster, ns, env.SPC_NAME ?? ''),
    now,
  );
  const stamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const line = record(verdict, node.name, stamp);
  const lines = [`${MONITOR_MARKER} ${line}`];
  const configMap = cluster.store.get(T.configMap, ns, env.RESULTS_CONFIGMAP ?? '');
  if (configMap) {
    const keep = Number(env.KEEP_RESULTS || 48);
    const data: Record<string, string> = { ...((configMap.data ?? {}) as Record<string, string>) };
    const runs = Object.keys(data)
      .filter((k) => /^run-\d+-[A-Za-z0-9.-]*$/.test(k))
      .sort();
    for (const old of runs.slice(0, Math.max(0, runs.length - keep + 1))) delete data[old];
    data[
      `run-${Math.floor(now / 1000)}-${(env.POD_NAME || pod.metadata.name).replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 200)}`
    ] = line;
    cluster.store.put(T.configMap, { ...configMap, data }, now);
  } else lines.push(`The results couldn't be written to ConfigMap ${env.RESULTS_CONFIGMAP ?? ''}.`);
  if (!verdict.first) return { log: `${lines.join('\n')}\nEvery check passed on node ${node.name}.\n`, exitCode: 0 };
  const message = `Check ${verdict.first} failed on node ${node.name} (the vault sees ${verdict.client || 'an unknown address'}): ${verdict.cause} Fix: ${verdict.fix}`;
  const spc = getSpc(cluster, ns, env.SPC_NAME ?? '');
  // The script creates a new Event per failed run (generateName), as any API client would.
  cluster.store.put(
    T.event,
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${env.SPC_NAME}.${now.toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`,
        namespace: ns,
      },
      involvedObject: {
        apiVersion: `${SPC_GROUP}/v1`,
        kind: 'SecretProviderClass',
        name: env.SPC_NAME ?? '',
        namespace: ns,
        uid: spc?.metadata.uid ?? '',
      },
      reason: 'KeyVaultPathBroken',
      message: printable(message),
      type: 'Warning',
      source: { component: 'feathr-kv-monitor', host: node.name },
      reportingComponent: 'feathr-kv-monitor',
      reportingInstance: node.name,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    },
    now,
  );
  return { log: `${lines.join('\n')}\n${message}\n`, exitCode: 1 };
}
