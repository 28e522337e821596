/**
 * fast-check arbitraries for hostile presets: the shipped AKS preset with one mutation (a leaf
 * set to a wrong or odd value, a key deleted, an unknown key added), or a whole document of
 * odd bytes. Each mutation carries the path it touched so the test can ask for that field by name.
 */
import fc from 'fast-check';
import { formatPath, type ConfigPath } from '../../source/config/issues.js';

export type Doc = Record<string, unknown>;

export interface Mutation {
  describe: string;
  path: ConfigPath;
  apply(doc: Doc): void;
}

/** Every path in `doc` (objects and leaves), arrays included by index. */
export function allPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Doc);
  return [prefix, ...entries.flatMap(([key, inner]) => allPaths(inner, [...prefix, key]))];
}

function parentOf(doc: Doc, path: ConfigPath): Record<string | number, unknown> {
  let current: unknown = doc;
  for (const part of path.slice(0, -1)) current = (current as Record<string | number, unknown>)[part];
  return current as Record<string | number, unknown>;
}

/** Values nobody should put in a preset field: wrong types, huge, control characters, unicode. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.integer({ min: 200, max: 5000 }).map((n) => 'k'.repeat(n)),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    '${HOME}',
    '*',
    '-1',
    '0x10',
    'true',
    '10.0.0.0/8',
    '::1',
    'DROP TABLE',
  ),
);

export function mutationArb(base: Doc): fc.Arbitrary<Mutation> {
  const paths = allPaths(base).filter((p) => p.length > 0);
  const objectPaths = [
    [],
    ...paths.filter((p) => {
      let v: unknown = base;
      for (const part of p) v = (v as Doc)[part as string];
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    }),
  ];
  const setLeaf = fc.tuple(fc.constantFrom(...paths), oddValue).map(([path, value]): Mutation => ({
    describe: `set ${formatPath(path)} to ${JSON.stringify(value)?.slice(0, 60)}`,
    path,
    apply: (doc) => void (parentOf(doc, path)[path[path.length - 1]!] = value),
  }));
  const deleteKey = fc
    .constantFrom(...paths.filter((p) => typeof p[p.length - 1] === 'string'))
    .map((path): Mutation => ({
      describe: `delete ${formatPath(path)}`,
      path,
      apply: (doc) => void delete parentOf(doc, path)[path[path.length - 1]!],
    }));
  const addKey = fc
    .tuple(fc.constantFrom(...objectPaths), fc.string({ minLength: 1, maxLength: 12 }), oddValue)
    .map(([at, key, value]): Mutation => {
      const path = [...at, key];
      return {
        describe: `add ${formatPath(path)} = ${JSON.stringify(value)?.slice(0, 40)}`,
        path,
        apply: (doc) => void (parentOf(doc, path)[key] = value),
      };
    });
  return fc.oneof(setLeaf, deleteKey, addKey);
}

/** Whole files that aren't a preset at all, or are one in an odd encoding. */
export function oddDocumentArb(validYaml: string): fc.Arbitrary<{ describe: string; bytes: Buffer }> {
  return fc.oneof(
    fc.string({ maxLength: 400 }).map((s) => ({ describe: 'random text', bytes: Buffer.from(s) })),
    fc.uint8Array({ maxLength: 400 }).map((a) => ({ describe: 'random bytes', bytes: Buffer.from(a) })),
    fc.constant({
      describe: 'UTF-16LE with BOM',
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validYaml, 'utf16le')]),
    }),
    fc.constant({
      describe: 'Latin-1 with a non-ASCII vault name',
      bytes: Buffer.from(validYaml.replace('feathr-kv-demo', 'feathr-kv-dém'), 'latin1'),
    }),
    fc
      .integer({ min: 0, max: validYaml.length })
      .map((cut) => ({ describe: `truncated at ${cut}`, bytes: Buffer.from(validYaml.slice(0, cut)) })),
    fc.constant({
      describe: '1 MB line',
      bytes: Buffer.from(`${validYaml}\n# ${'x'.repeat(1 << 20)}\nfoo: ${'y'.repeat(1 << 20)}\n`),
    }),
    fc.constant({
      describe: 'YAML bomb (aliases)',
      bytes: Buffer.from(
        'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
      ),
    }),
    fc.constant({
      describe: 'a custom tag',
      bytes: Buffer.from(`${validYaml}\nextra: !!js/function "function () {}"\n`),
    }),
  );
}
