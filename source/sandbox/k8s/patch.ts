/**
 * The patch formats the API server accepts: JSON merge patch (RFC 7386, what kubectl sends for
 * custom resources) and strategic merge patch (built-in kinds: lists with a merge key merge
 * element by element; directives `$patch`, `$retainKeys`, `$setElementOrder/…`,
 * `$deleteFromPrimitiveList/…`), as k8s.io/apimachinery/pkg/util/strategicpatch applies them.
 */
type Json = any;

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Merge keys of the lists in the built-in kinds the sandbox serves (from the API types' patchMergeKey tags). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  ownerReferences: 'uid',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

function mergeKeyFor(field: string, list: Json[]): string | undefined {
  if (field === 'ports')
    return list.some((item) => isObject(item) && 'containerPort' in item) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function mergeList(field: string, target: Json[], patch: Json[]): Json[] {
  const key = mergeKeyFor(field, patch);
  if (!key || !patch.every(isObject)) return structuredClone(patch.filter((item) => !(isObject(item) && item.$patch)));
  if (patch.some((item) => item.$patch === 'replace'))
    return patch.filter((item) => item.$patch !== 'replace').map((item) => structuredClone(item));
  const out = target.map((item) => structuredClone(item));
  for (const item of patch) {
    const index = out.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = strategicMergePatch(out[index], item);
    else out.push(strategicMergePatch({}, item));
  }
  return out;
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  let out: Record<string, Json> = isObject(target) ? { ...target } : {};
  if (Array.isArray(patch.$retainKeys)) {
    out = Object.fromEntries(Object.entries(out).filter(([key]) => patch.$retainKeys.includes(key)));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((item: Json) => !(value as Json[]).includes(item));
      continue;
    }
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(key, Array.isArray(out[key]) ? out[key] : [], value);
    else if (isObject(value)) {
      const merged = strategicMergePatch(out[key], value);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

/** RFC 6902 JSON patch (`kubectl patch --type json`). */
export function jsonPatch(target: Json, operations: { op: string; path: string; value?: Json; from?: string }[]): Json {
  const doc = structuredClone(target);
  const parts = (path: string) =>
    path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const parentOf = (path: string): [Json, string] => {
    const segments = parts(path);
    const last = segments.pop()!;
    let node = doc;
    for (const segment of segments) node = node?.[segment];
    if (node === undefined) throw new Error(`path ${path} doesn't exist`);
    return [node, last];
  };
  for (const op of operations) {
    const [parent, last] = parentOf(op.path);
    if (op.op === 'add' || op.op === 'replace') {
      if (Array.isArray(parent)) {
        const index = last === '-' ? parent.length : Number(last);
        if (op.op === 'add') parent.splice(index, 0, op.value);
        else parent[index] = op.value;
      } else parent[last] = op.value;
    } else if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op.op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new Error(`test failed at ${op.path}`);
    } else throw new Error(`unsupported JSON patch operation ${op.op}`);
  }
  return doc;
}
