/**
 * Request bodies in the API server's protobuf encoding (`application/vnd.kubernetes.protobuf`):
 * client-go's typed clients send them, e.g. Helm's release storage writing its Secrets. The
 * envelope is the magic `k8s\0` followed by a runtime.Unknown {typeMeta, raw}; `raw` is the
 * object in the field numbering of k8s.io/api's generated.proto. Decoded here for the kinds
 * typed clients write (Secret, ConfigMap, Namespace, SelfSubjectAccessReview); answers always go back as JSON, which
 * those clients accept.
 */
type Fields = Map<number, (number | Buffer)[]>;

function varint(buffer: Buffer, offset: number): [number, number] {
  let result = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = buffer[position++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, position];
    shift += 7;
  }
}

function fields(buffer: Buffer): Fields {
  const out: Fields = new Map();
  let offset = 0;
  while (offset < buffer.length) {
    const [key, next] = varint(buffer, offset);
    offset = next;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Buffer;
    if (wire === 0) [value, offset] = varint(buffer, offset);
    else if (wire === 2) {
      const [length, start] = varint(buffer, offset);
      value = buffer.subarray(start, start + length);
      offset = start + length;
    } else if (wire === 1) {
      value = buffer.subarray(offset, offset + 8);
      offset += 8;
    } else if (wire === 5) {
      value = buffer.subarray(offset, offset + 4);
      offset += 4;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const str = (f: Fields, n: number) => (f.get(n)?.[0] as Buffer | undefined)?.toString('utf8');
const strs = (f: Fields, n: number) => (f.get(n) ?? []).map((v) => (v as Buffer).toString('utf8'));
const bool = (f: Fields, n: number) => (f.has(n) ? f.get(n)![0] === 1 : undefined);

function map(f: Fields, n: number, asBase64: boolean): Record<string, string> | undefined {
  if (!f.has(n)) return undefined;
  const out: Record<string, string> = {};
  for (const entry of f.get(n)!) {
    const kv = fields(entry as Buffer);
    const value = (kv.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0);
    out[str(kv, 1) ?? ''] = asBase64 ? value.toString('base64') : value.toString('utf8');
  }
  return out;
}

const compact = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));

function objectMeta(buffer: Buffer | undefined): Record<string, unknown> {
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
          return compact({ kind: str(r, 1), name: str(r, 3), uid: str(r, 4), apiVersion: str(r, 5), controller: bool(r, 6), blockOwnerDeletion: bool(r, 7) });
        })
      : undefined,
    finalizers: f.has(14) ? strs(f, 14) : undefined,
  });
}

const KINDS: Record<string, (f: Fields) => Record<string, unknown>> = {
  Secret: (f) => compact({ data: map(f, 2, true), type: str(f, 3), stringData: map(f, 4, false), immutable: bool(f, 5) }),
  ConfigMap: (f) => compact({ data: map(f, 2, false), binaryData: map(f, 3, true), immutable: bool(f, 4) }),
  SelfSubjectAccessReview: (f) => {
    const spec = f.has(2) ? fields(f.get(2)![0] as Buffer) : new Map();
    const attributes = spec.has(1) ? fields(spec.get(1)![0] as Buffer) : undefined;
    return {
      spec: attributes
        ? { resourceAttributes: compact({ namespace: str(attributes, 1), verb: str(attributes, 2), group: str(attributes, 3), version: str(attributes, 4), resource: str(attributes, 5), subresource: str(attributes, 6), name: str(attributes, 7) }) }
        : {},
    };
  },
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
