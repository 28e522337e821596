/**
 * Label and field selectors as the API server parses them (`labelSelector=app in (a,b),!x`,
 * `fieldSelector=involvedObject.name=p,reason=FailedMount`).
 */
import type { KubeObject } from './types.js';

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits on commas that are not inside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) out.push(current.trim());
  return out.filter(Boolean);
}

function requirement(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set;
    const values = list
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    return op === 'in' ? (l) => key in l && values.includes(l[key]) : (l) => !(key in l) || !values.includes(l[key]);
  }
  if (term.startsWith('!')) return (l) => !(term.slice(1) in l);
  const eq = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (eq) {
    const [, key, op, value] = eq;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  return (l) => term in l;
}

export function labelMatcher(
  selector: string | null | undefined,
): (labels: Record<string, string> | undefined) => boolean {
  const requirements = terms(selector ?? '').map(requirement);
  return (labels) => requirements.every((req) => req(labels ?? {}));
}

function fieldValue(object: KubeObject, path: string): string {
  let value: any = object;
  for (const part of path.split('.')) value = value?.[part];
  return value === undefined || value === null ? '' : String(value);
}

export function fieldMatcher(selector: string | null | undefined): (object: KubeObject) => boolean {
  const requirements = terms(selector ?? '').map((term) => {
    const match = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) return () => true;
    const [, path, op, value] = match;
    return (object: KubeObject) =>
      op === '!=' ? fieldValue(object, path) !== value : fieldValue(object, path) === value;
  });
  return (object) => requirements.every((req) => req(object));
}
