/**
 * One simulated Kubernetes cluster in a world file (`clusters:` in spec.ts). An AKS cluster is
 * the kube side of a managed cluster the world defines (`aksClusters`): its nodes sit in that
 * cluster's subnet, and its OIDC issuer, Key Vault add-on and version are read from the ARM
 * resource at use, so they can't be set here. An external cluster (another cloud, on-prem) has
 * only public egress addresses and an optional OIDC issuer.
 *
 * ```yaml
 * clusters:
 *   - context: feathr-aks
 *     kind: aks
 *     managedCluster: { resourceGroup: feathr-rg, name: feathr-aks }
 *     nodes: [{ name: aks-nodepool1-0 }, { name: aks-win-0, os: windows }]   # default: two Linux nodes
 *     csiDriver: aks-addon           # default; or { helm: {...} } / { other: {...} }
 *   - context: feathr-eks
 *     kind: external
 *     oidcIssuer: https://oidc.sandbox.test/feathr-eks
 *     nodes: [{ name: ip-192-168-1-10.ec2.internal, egressIp: 52.14.20.1 }]
 *     csiDriver: { helm: { syncSecret: false } }   # default: none
 *     namespaces:
 *       - name: legacy
 *         secrets: [{ name: feathr-online-secret, data: { CONN_STR: sandbox-only } }]
 *         serviceAccounts: [{ name: feathr-online, annotations: { azure.workload.identity/client-id: ... } }]
 * ```
 */
import { z } from 'zod';

const ipv4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'must be an IPv4 address');
/** RFC 1123 label: namespace names. */
const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a lower-case RFC 1123 label (a-z, 0-9, -)');
/** RFC 1123 subdomain: Secret, ServiceAccount and node names. */
const dnsSubdomain = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a lower-case RFC 1123 subdomain (a-z, 0-9, -, .)',
  );
const stringMap = z.record(z.string(), z.string()).default({});

const secretSpec = z.strictObject({
  name: dnsSubdomain,
  type: z.string().min(1).default('Opaque'),
  labels: stringMap,
  annotations: stringMap,
  /** Plain (not base64) values: sandbox data, never a real secret. */
  // Keys checked here, not as the record's key schema, because zod reports a bad record key
  // without that schema's message.
  data: z.record(z.string(), z.string()).superRefine((data, ctx) => {
    for (const key of Object.keys(data)) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key))
        ctx.addIssue({ code: 'custom', path: [key], message: 'Secret keys may hold only letters, digits, -, _ and .' });
    }
  }),
});

const namespaceSpec = z.strictObject({
  name: dnsLabel,
  labels: stringMap,
  secrets: z.array(secretSpec).default([]),
  serviceAccounts: z
    .array(z.strictObject({ name: dnsSubdomain, labels: stringMap, annotations: stringMap }))
    .default([]),
});

/** A driver someone installed before us. Sync and rotation default to the chart's own defaults (off). */
const driverSettings = z.strictObject({ syncSecret: z.boolean().default(false), rotation: z.boolean().default(false) });
const helmDriver = z.strictObject({
  helm: driverSettings.extend({
    /** The Azure provider chart (driver as a subchart) or the plain driver chart (common on EKS). */
    chart: z
      .enum(['csi-secrets-store-provider-azure', 'secrets-store-csi-driver'])
      .default('csi-secrets-store-provider-azure'),
    release: dnsLabel.default('csi-secrets-store-provider-azure'),
    namespace: dnsLabel.default('kube-system'),
    version: z.string().default('1.8.2'),
  }),
});
/** A user bound to roles in these namespaces only (no cluster-wide rights). */
const operatorAccess = z.strictObject({ namespaces: z.array(dnsLabel).min(1) }).optional();
/** Installed without a Helm release we can see (plain manifests, another tool). */
const otherDriver = z.strictObject({ other: driverSettings });

const nodeName = z.strictObject({ name: dnsSubdomain, os: z.enum(['linux', 'windows']).default('linux') });

const aksClusterSpec = z.strictObject({
  context: z.string().min(1),
  kind: z.literal('aks'),
  /** Must name an entry of the world's `aksClusters`. */
  managedCluster: z.strictObject({ resourceGroup: z.string().min(1), name: z.string().min(1) }),
  /** Private IPs come from the managed cluster's subnet; egress defaults to its load balancer IP. */
  nodes: z
    .array(nodeName.extend({ egressIp: ipv4.optional() }))
    .min(1)
    .default([
      { name: 'aks-nodepool1-12345678-vmss000000', os: 'linux' },
      { name: 'aks-nodepool1-12345678-vmss000001', os: 'linux' },
    ]),
  csiDriver: z
    .union([z.literal('aks-addon'), helmDriver, otherDriver], {
      error:
        "must be aks-addon (follows the managed cluster's add-on), { helm: { syncSecret, rotation } } or { other: { syncSecret, rotation } }",
    })
    .default('aks-addon'),
  namespaces: z.array(namespaceSpec).default([]),
  operatorAccess,
});

const externalClusterSpec = z.strictObject({
  context: z.string().min(1),
  kind: z.literal('external'),
  kubernetesVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'must look like 1.32.3')
    .default('1.32.3'),
  oidcIssuer: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  nodes: z
    .array(
      nodeName.extend({
        egressIp: z.string({ error: "required: the public address this node's traffic leaves from" }).pipe(ipv4),
      }),
    )
    .min(1, 'an external cluster needs at least one node with its egressIp'),
  csiDriver: z
    .union([z.literal('none'), helmDriver, otherDriver], {
      error:
        'must be none, { helm: { syncSecret, rotation } } or { other: { syncSecret, rotation } } (aks-addon is only for kind: aks)',
    })
    .default('none'),
  namespaces: z.array(namespaceSpec).default([]),
  operatorAccess,
});

export const clusterSpecSchema = z.discriminatedUnion('kind', [aksClusterSpec, externalClusterSpec], {
  error: 'kind must be aks or external',
});

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type AksClusterSpec = Extract<ClusterSpec, { kind: 'aks' }>;
export type ExternalClusterSpec = Extract<ClusterSpec, { kind: 'external' }>;

/** Problems a single schema can't see: duplicates inside one cluster. Returns [path, message] pairs. */
export function clusterDuplicates(cluster: ClusterSpec): [Array<string | number>, string][] {
  const issues: [Array<string | number>, string][] = [];
  const once = (names: string[], path: (index: number) => Array<string | number>, what: string) => {
    const seen = new Set<string>();
    names.forEach((name, index) => {
      if (seen.has(name)) issues.push([path(index), `${what} "${name}" is listed twice`]);
      seen.add(name);
    });
  };
  once(
    cluster.nodes.map((node) => node.name),
    (i) => ['nodes', i, 'name'],
    'node',
  );
  once(
    cluster.namespaces.map((ns) => ns.name),
    (i) => ['namespaces', i, 'name'],
    'namespace',
  );
  cluster.namespaces.forEach((ns, n) => {
    once(
      ns.secrets.map((secret) => secret.name),
      (i) => ['namespaces', n, 'secrets', i, 'name'],
      'Secret',
    );
    once(
      ns.serviceAccounts.map((sa) => sa.name),
      (i) => ['namespaces', n, 'serviceAccounts', i, 'name'],
      'ServiceAccount',
    );
  });
  return issues;
}
