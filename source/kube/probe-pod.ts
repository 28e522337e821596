/**
 * The short-lived probe Pod: DNS, TCP 443, TLS and the egress IP as the vault
 * sees it, from the pod network or, like the Azure provider, from the host network; and
 * optionally the real mount of a SecretProviderClass with the real identity.
 */
import type { ProbeResult, ProbeSpec } from './port.js';
import { PROBE_RESULT_PREFIX, probeScript } from './probe-script.js';

/**
 * Default image: pulled from MCR because a private AKS cluster with restricted egress can
 * always reach mcr.microsoft.com (it is on AKS's required outbound list), while Docker Hub
 * may be blocked. The Azure CLI image carries sh, curl, getent and sha256sum. Override it
 * with ProbeSpec.image for clusters that only pull from a private registry.
 */
export const DEFAULT_PROBE_IMAGE = 'mcr.microsoft.com/azure-cli:2.67.0';
const PROBE_MOUNT_DIR = '/mnt/secrets-store';
/**
 * Kubernetes' default terminationMessagePath, named explicitly: a probe that mounts no secrets
 * writes its result there too. One that does keeps its result (with each mounted object's
 * sha256) in its log only: pod status is readable with `get pods`, more widely than logs.
 */
const PROBE_TERMINATION_LOG = '/dev/termination-log';
const PROBE_LABEL = 'feathr-kv-setup-probe';
/** Marks the pods one batch started, so they are listed and deleted together. */
export const PROBE_RUN_LABEL = 'feathr-kv-setup/probe-run';
/** Each probe pod's own name as a label: a set selector then picks the pods whose logs are read. */
export const PROBE_POD_LABEL = 'feathr-kv-setup/probe-pod';

export interface ProbePodOptions {
  /** Client id for the IMDS token request (VM managed identity mode). */
  imdsClientId?: string;
  /** The pod gives up on its own after this long, so nothing lingers if cleanup fails. */
  deadlineSeconds?: number;
}

export function buildProbePod(
  spec: ProbeSpec,
  podName: string,
  options: ProbePodOptions = {},
): Record<string, unknown> {
  const env = [
    { name: 'VAULT_NAME', value: spec.vaultName },
    { name: 'EXPECTED', value: (spec.expectedObjects ?? []).join(' ') },
    ...(spec.secretProviderClass ? [] : [{ name: 'TERMINATION_LOG', value: PROBE_TERMINATION_LOG }]),
    ...(spec.secretProviderClass ? [{ name: 'MOUNT_DIR', value: PROBE_MOUNT_DIR }] : []),
    ...(options.imdsClientId ? [{ name: 'IMDS_CLIENT_ID', value: options.imdsClientId }] : []),
  ];
  const volumes = spec.secretProviderClass
    ? [
        {
          name: 'secrets-store',
          csi: {
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            volumeAttributes: { secretProviderClass: spec.secretProviderClass },
            ...(spec.nodePublishSecretRef ? { nodePublishSecretRef: { name: spec.nodePublishSecretRef } } : {}),
          },
        },
      ]
    : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName,
      namespace: spec.namespace,
      labels: {
        ...(spec.labels ?? {}),
        'app.kubernetes.io/name': PROBE_LABEL,
        'app.kubernetes.io/managed-by': 'feathr-kv-setup',
      },
    },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: options.deadlineSeconds ?? 180,
      hostNetwork: spec.hostNetwork,
      // The provider runs on the host network with the node's resolver, so the
      // host-network probe must resolve like it does: dnsPolicy Default, not cluster DNS.
      dnsPolicy: spec.hostNetwork ? 'Default' : 'ClusterFirst',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      // nodeName places the pod on that node without the scheduler (Kubernetes: "Assigning Pods to Nodes").
      ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
      ...(spec.serviceAccount ? { serviceAccountName: spec.serviceAccount } : {}),
      containers: [
        {
          name: 'probe',
          image: spec.image ?? DEFAULT_PROBE_IMAGE,
          command: ['/bin/sh', '-c', probeScript()],
          env,
          terminationMessagePath: PROBE_TERMINATION_LOG,
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
          ...(volumes.length
            ? { volumeMounts: [{ name: 'secrets-store', mountPath: PROBE_MOUNT_DIR, readOnly: true }] }
            : {}),
        },
      ],
      volumes,
    },
  };
}

interface RawProbeLine {
  dns?: { host?: string; addresses?: string[]; error?: string };
  tcp443?: boolean;
  tls?: boolean;
  vaultStatus?: number;
  vaultError?: string;
  clientAddress?: string;
  mount?: { ok: boolean; objects: { alias: string; state: 'mounted' | 'missing' | 'empty'; sha256?: string }[] } | null;
}

/** Finds the result line in the pod log; null when the script never got that far. */
export function parseProbeOutput(logs: string): Omit<ProbeResult, 'podName' | 'cleanedUp'> | null {
  const line = logs
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(PROBE_RESULT_PREFIX));
  if (!line) return null;
  const raw = JSON.parse(line.slice(PROBE_RESULT_PREFIX.length)) as RawProbeLine;
  const result: Omit<ProbeResult, 'podName' | 'cleanedUp'> = {
    dns: {
      host: raw.dns?.host ?? '',
      addresses: raw.dns?.addresses ?? [],
      ...(raw.dns?.error ? { error: raw.dns.error } : {}),
    },
    tcp443: raw.tcp443 === true,
    tls: raw.tls === true,
  };
  if (raw.vaultStatus) result.vaultStatus = raw.vaultStatus;
  if (raw.vaultError) result.vaultError = raw.vaultError;
  if (raw.clientAddress) result.clientAddress = raw.clientAddress;
  if (raw.mount) result.mount = { ok: raw.mount.ok, objects: raw.mount.objects };
  return result;
}
