/**
 * Diff before writing: for each translated name, new / changed / unchanged,
 * plus soft-deleted names (blocked: recover or purge first) and names only in the vault
 * (reported, never deleted). Unchanged secrets are not written, so a re-run makes no version.
 */
import { nameKey, type SecretEntry } from './secret-entry.js';
import type { WrittenRecord } from './written-record.js';

/** What the vault holds, as far as the operator can see it. */
export interface VaultObservation {
  plane: 'data' | 'management';
  /** By lower-cased name. `value` only when read over the data plane. */
  existing: ReadonlyMap<string, { name: string; version?: string; value?: string }>;
  /** Lower-cased names of soft-deleted secrets (only listable over the data plane). */
  deleted: ReadonlySet<string>;
}

export type DiffKind = 'new' | 'changed' | 'unchanged' | 'deleted';

interface DiffItem {
  entry: SecretEntry;
  kind: DiffKind;
  /** Why, in words; never derived from the value beyond "differs". */
  reason: string;
  /** The version current before this run (the writer uses it to tell whether a lost write landed). */
  currentVersion?: string;
}

export interface SecretDiff {
  items: DiffItem[];
  /** Names in the vault that no source defines: reported, never deleted. */
  onlyInVault: string[];
}

export function diffSecrets(
  desired: readonly SecretEntry[],
  observed: VaultObservation,
  record?: WrittenRecord,
): SecretDiff {
  const wanted = new Set(desired.map((e) => nameKey(e.vaultName)));
  const items = desired.map((entry): DiffItem => {
    const key = nameKey(entry.vaultName);
    const current = observed.existing.get(key);
    if (!current) {
      if (observed.deleted.has(key)) {
        return {
          entry,
          kind: 'deleted',
          reason: 'soft-deleted in the vault: its name can only be recovered or purged',
        };
      }
      return { entry, kind: 'new', reason: 'not in the vault' };
    }
    const base = { entry, currentVersion: current.version };
    if (current.value !== undefined) {
      return current.value === entry.value
        ? { ...base, kind: 'unchanged', reason: 'same value in the vault' }
        : { ...base, kind: 'changed', reason: 'value differs from the vault' };
    }
    // Management plane: the value is never returned, so compare with what this machine wrote.
    if (record?.matches(entry.vaultName, current.version, entry.value)) {
      return { ...base, kind: 'unchanged', reason: 'the version this tool wrote is current and the value is the same' };
    }
    const written = record?.versionWritten(entry.vaultName);
    if (written && written !== current.version) {
      return { ...base, kind: 'changed', reason: 'a newer version than the one this tool wrote is current' };
    }
    if (written) return { ...base, kind: 'changed', reason: 'value differs from the one this tool wrote' };
    return {
      ...base,
      kind: 'changed',
      reason:
        "can't be compared (the data plane is out of reach and this machine never wrote it): writing a new version",
    };
  });
  const onlyInVault = [...observed.existing.entries()]
    .filter(([key]) => !wanted.has(key))
    .map(([, v]) => v.name)
    .sort((a, b) => a.localeCompare(b));
  return { items, onlyInVault };
}

export function countByKind(diff: SecretDiff): Record<DiffKind, number> {
  const counts: Record<DiffKind, number> = { new: 0, changed: 0, unchanged: 0, deleted: 0 };
  for (const item of diff.items) counts[item.kind] += 1;
  return counts;
}
