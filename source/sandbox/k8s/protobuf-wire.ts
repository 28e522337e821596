/** The protobuf wire format, as much as the API server's request bodies need. */
export type Fields = Map<number, (number | Buffer)[]>;

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

export function fields(buffer: Buffer): Fields {
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

export const str = (f: Fields, n: number) => (f.get(n)?.[0] as Buffer | undefined)?.toString('utf8');
export const strs = (f: Fields, n: number) => (f.get(n) ?? []).map((v) => (v as Buffer).toString('utf8'));
export const bool = (f: Fields, n: number) => (f.has(n) ? f.get(n)![0] === 1 : undefined);

export function map(f: Fields, n: number, asBase64: boolean): Record<string, string> | undefined {
  if (!f.has(n)) return undefined;
  const out: Record<string, string> = {};
  for (const entry of f.get(n)!) {
    const kv = fields(entry as Buffer);
    const value = (kv.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0);
    out[str(kv, 1) ?? ''] = asBase64 ? value.toString('base64') : value.toString('utf8');
  }
  return out;
}

export const compact = (object: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));

/** A varint field as a number (int32/int64 fit JavaScript numbers here). */
export const int = (f: Fields, n: number) => (f.has(n) ? (f.get(n)![0] as number) : undefined);
