/**
 * Request bodies in the API server's protobuf encoding (`application/vnd.kubernetes.protobuf`):
 * client-go's typed clients send them, e.g. Helm's release storage writing its Secrets. The
 * envelope is the magic `k8s\0` followed by a runtime.Unknown {typeMeta, raw}; `raw` is the
 * object in the field numbering of k8s.io/api's generated.proto. Decoded here for the kinds
 * typed clients write (Secret, ConfigMap, Namespace, SelfSubjectAccessReview, and the Job
 * `kubectl create job` sends); answers always go back as JSON, which
 * those clients accept.
 */
import { bool, compact, fields, map, str, strs, type Fields } from './protobuf-wire.js';
import { jobSpec } from './protobuf-job.js';

export function objectMeta(buffer: Buffer | undefined): Record<string, unknown> {
  if (!buffer) return {};
  const f = fields(buffer);
  return compact({
    name: str(f, 1),
    generateName: str(f, 2),
    namespace: str(f, 3),
    uid: str(f, 5),
    resourceVersion: str(f, 6),
    labels: map(f, 11, false),
    annotations: map(f, 12, false),
    ownerReferences: f.has(13)
      ? f.get(13)!.map((ref) => {
          const r = fields(ref as Buffer);
          return compact({
            kind: str(r, 1),
            name: str(r, 3),
            uid: str(r, 4),
            apiVersion: str(r, 5),
            controller: bool(r, 6),
            blockOwnerDeletion: bool(r, 7),
          });
        })
      : undefined,
    finalizers: f.has(14) ? strs(f, 14) : undefined,
  });
}

const KINDS: Record<string, (f: Fields) => Record<string, unknown>> = {
  Secret: (f) =>
    compact({ data: map(f, 2, true), type: str(f, 3), stringData: map(f, 4, false), immutable: bool(f, 5) }),
  ConfigMap: (f) => compact({ data: map(f, 2, false), binaryData: map(f, 3, true), immutable: bool(f, 4) }),
  SelfSubjectAccessReview: (f) => {
    const spec = f.has(2) ? fields(f.get(2)![0] as Buffer) : new Map();
    const attributes = spec.has(1) ? fields(spec.get(1)![0] as Buffer) : undefined;
    return {
      spec: attributes
        ? {
            resourceAttributes: compact({
              namespace: str(attributes, 1),
              verb: str(attributes, 2),
              group: str(attributes, 3),
              version: str(attributes, 4),
              resource: str(attributes, 5),
              subresource: str(attributes, 6),
              name: str(attributes, 7),
            }),
          }
        : {},
    };
  },
  Job: (f) => compact({ spec: f.has(2) ? jobSpec(fields(f.get(2)![0] as Buffer)) : undefined }),
  Namespace: (f) => compact({ spec: f.has(2) ? { finalizers: strs(fields(f.get(2)![0] as Buffer), 1) } : undefined }),
};

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Decodes a protobuf request body into the JSON object it stands for. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.subarray(0, 4).toString('binary') !== 'k8s\0') throw new Error('missing the k8s protobuf magic prefix');
  const unknown = fields(body.subarray(4));
  const typeMeta = fields((unknown.get(1)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
  const apiVersion = str(typeMeta, 1) ?? '';
  const kind = str(typeMeta, 2) ?? '';
  const decode = KINDS[kind];
  if (!decode) throw new Error(`protobuf bodies for ${kind || 'this kind'} aren't supported by the sandbox; send JSON`);
  const raw = fields((unknown.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
  return { apiVersion, kind, metadata: objectMeta(raw.get(1)?.[0] as Buffer | undefined), ...decode(raw) };
}
