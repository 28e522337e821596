/**
 * The inputs a run can't start without, computed from the schema's required fields (a field
 * with a default is not missing) plus the target-specific ones from cross-field.ts. Without a
 * terminal nothing can be asked, so every missing one is named at once.
 */
import type * as z from 'zod';
import { valueAt, type ConfigPath } from './issues.js';
import { configSchema } from './schema.js';

// Set by the tool itself (the wizard writes version 1), never asked for.
const NOT_ASKED = new Set(['version']);

export function missingInputs(partial: unknown = {}, schema: z.ZodType = configSchema): string[] {
  const missing: string[] = [];
  walk(schema, [], partial, missing);
  const target = valueAt(partial, ['target']);
  const conditional: [string, ConfigPath][] =
    target === 'other-cloud'
      ? [['network.allowedIps', ['network', 'allowedIps']]]
      : target === 'azure'
        ? [
            ['network.privateEndpoint', ['network', 'privateEndpoint']],
            ['cluster.aks', ['cluster', 'aks']],
          ]
        : [];
  for (const [name, path] of conditional) if (valueAt(partial, path) === undefined) missing.push(name);
  if (target === undefined)
    missing.push('network.privateEndpoint and cluster.aks (target azure) or network.allowedIps (target other-cloud)');
  return missing;
}

function walk(node: z.ZodType, path: string[], partial: unknown, out: string[]): void {
  const def = (node as unknown as { def: { type: string; shape?: Record<string, z.ZodType> } }).def;
  if (def.type !== 'object' || !def.shape) return;
  for (const [key, child] of Object.entries(def.shape)) {
    const childDef = (child as unknown as { def: { type: string } }).def;
    if (['optional', 'default', 'prefault'].includes(childDef.type)) continue;
    const childPath = [...path, key];
    if (NOT_ASKED.has(childPath.join('.'))) continue;
    const value = valueAt(partial, childPath);
    if (childDef.type === 'object') walk(child, childPath, partial, out);
    else if (value === undefined) out.push(childPath.join('.'));
  }
}
