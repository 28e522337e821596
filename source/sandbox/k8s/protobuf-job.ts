/**
 * A Job in protobuf, as `kubectl create job` sends it: JobSpec and the pod template it carries,
 * in the field numbering of k8s.io/api batch/v1 and core/v1 generated.proto (the fields a pod
 * template commonly uses: containers with command, env (values and field refs), resources and
 * mounts; Secret, ConfigMap and CSI volumes; node selector, tolerations, spread constraints).
 */
import { bool, compact, fields, int, map, str, strs, type Fields } from './protobuf-wire.js';
import { objectMeta } from './protobuf.js';

const one = (f: Fields, n: number) => (f.has(n) ? fields(f.get(n)![0] as Buffer) : undefined);
const all = (f: Fields, n: number) => (f.get(n) ?? []).map((v) => fields(v as Buffer));
const list = <T>(f: Fields, n: number, decode: (x: Fields) => T) => (f.has(n) ? all(f, n).map(decode) : undefined);

/** map<string, Quantity>, Quantity { string string = 1 }. */
function quantities(f: Fields, n: number): Record<string, string> | undefined {
  if (!f.has(n)) return undefined;
  return Object.fromEntries(all(f, n).map((entry) => [str(entry, 1) ?? '', str(one(entry, 2) ?? new Map(), 1) ?? '']));
}

const labelSelector = (f: Fields) => compact({ matchLabels: map(f, 1, false) });

function env(f: Fields) {
  const source = one(f, 3);
  const fieldRef = source ? one(source, 1) : undefined;
  return compact({
    name: str(f, 1),
    value: str(f, 2),
    valueFrom: fieldRef
      ? { fieldRef: compact({ apiVersion: str(fieldRef, 1), fieldPath: str(fieldRef, 2) }) }
      : undefined,
  });
}

function container(f: Fields) {
  const resources = one(f, 8);
  return compact({
    name: str(f, 1),
    image: str(f, 2),
    command: f.has(3) ? strs(f, 3) : undefined,
    args: f.has(4) ? strs(f, 4) : undefined,
    workingDir: str(f, 5),
    env: list(f, 7, env),
    resources: resources
      ? compact({ limits: quantities(resources, 1), requests: quantities(resources, 2) })
      : undefined,
    volumeMounts: list(f, 9, (m) =>
      compact({ name: str(m, 1), readOnly: bool(m, 2), mountPath: str(m, 3), subPath: str(m, 4) }),
    ),
    terminationMessagePath: str(f, 13),
    imagePullPolicy: str(f, 14),
    terminationMessagePolicy: str(f, 20),
  });
}

function volume(f: Fields) {
  const source = one(f, 2) ?? new Map();
  const secret = one(source, 6);
  const configMap = one(source, 19);
  const csi = one(source, 28);
  const ref = (x: Fields | undefined) => (x ? { name: str(x, 1) } : undefined);
  return compact({
    name: str(f, 1),
    secret: secret
      ? compact({ secretName: str(secret, 1), defaultMode: int(secret, 3), optional: bool(secret, 4) })
      : undefined,
    configMap: configMap
      ? compact({
          name: str(one(configMap, 1) ?? new Map(), 1),
          defaultMode: int(configMap, 3),
          optional: bool(configMap, 4),
        })
      : undefined,
    csi: csi
      ? compact({
          driver: str(csi, 1),
          readOnly: bool(csi, 2),
          volumeAttributes: map(csi, 4, false),
          nodePublishSecretRef: ref(one(csi, 5)),
        })
      : undefined,
  });
}

function podSpec(f: Fields) {
  return compact({
    volumes: list(f, 1, volume),
    containers: list(f, 2, container),
    restartPolicy: str(f, 3),
    terminationGracePeriodSeconds: int(f, 4),
    activeDeadlineSeconds: int(f, 5),
    dnsPolicy: str(f, 6),
    nodeSelector: map(f, 7, false),
    serviceAccountName: str(f, 8),
    serviceAccount: str(f, 9),
    hostNetwork: bool(f, 11),
    schedulerName: str(f, 19),
    automountServiceAccountToken: bool(f, 21),
    tolerations: list(f, 22, (t) =>
      compact({
        key: str(t, 1),
        operator: str(t, 2),
        value: str(t, 3),
        effect: str(t, 4),
        tolerationSeconds: int(t, 5),
      }),
    ),
    topologySpreadConstraints: list(f, 33, (c) =>
      compact({
        maxSkew: int(c, 1),
        topologyKey: str(c, 2),
        whenUnsatisfiable: str(c, 3),
        labelSelector: one(c, 4) ? labelSelector(one(c, 4)!) : undefined,
      }),
    ),
  });
}

export function jobSpec(f: Fields): Record<string, unknown> {
  const template = one(f, 6);
  return compact({
    parallelism: int(f, 1),
    completions: int(f, 2),
    activeDeadlineSeconds: int(f, 3),
    selector: one(f, 4) ? labelSelector(one(f, 4)!) : undefined,
    manualSelector: bool(f, 5),
    template: template
      ? compact({
          metadata: objectMeta(template.get(1)?.[0] as Buffer | undefined),
          spec: one(template, 2) ? podSpec(one(template, 2)!) : undefined,
        })
      : undefined,
    backoffLimit: int(f, 7),
    ttlSecondsAfterFinished: int(f, 8),
    completionMode: str(f, 9),
    suspend: bool(f, 10),
  });
}
