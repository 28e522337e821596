import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countByKind, diffSecrets, type VaultObservation } from '../../source/secrets/diff.js';
import type { SecretEntry } from '../../source/secrets/secret-entry.js';
import { openWrittenRecord } from '../../source/secrets/written-record.js';

const e = (env: string, value: string): SecretEntry => ({
  env,
  vaultName: env.replaceAll('_', '-'),
  source: '.env a.env',
  value,
});

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('diff over the data plane (values readable)', () => {
  const observed: VaultObservation = {
    plane: 'data',
    existing: new Map([
      ['conn-str', { name: 'CONN-STR', version: 'v1', value: 'same' }],
      ['cosmos-api-key', { name: 'COSMOS-API-KEY', version: 'v2', value: 'old' }],
      ['legacy-thing', { name: 'Legacy-Thing', version: 'v3', value: 'x' }],
    ]),
    deleted: new Set(['feathrci-pass']),
  };

  it('classifies new, changed, unchanged, soft-deleted and only-in-vault', () => {
    const diff = diffSecrets(
      [e('CONN_STR', 'same'), e('COSMOS_API_KEY', 'new'), e('FEATHRCI_HOST', 'h'), e('FEATHRCI_PASS', 'p')],
      observed,
    );
    expect(diff.items.map((i) => [i.entry.env, i.kind])).toEqual([
      ['CONN_STR', 'unchanged'],
      ['COSMOS_API_KEY', 'changed'],
      ['FEATHRCI_HOST', 'new'],
      ['FEATHRCI_PASS', 'deleted'],
    ]);
    expect(diff.onlyInVault).toEqual(['Legacy-Thing']);
    expect(countByKind(diff)).toEqual({ new: 1, changed: 1, unchanged: 1, deleted: 1 });
    expect(diff.items[1]!.currentVersion).toBe('v2');
  });

  it('compares names ignoring case, values byte for byte', () => {
    const diff = diffSecrets([{ env: 'conn_str', vaultName: 'conn-str', source: 's', value: 'same ' }], observed);
    expect(diff.items[0]!.kind).toBe('changed');
  });
});

describe('diff over the management plane (no values) with the local record', () => {
  it('is unchanged only when the recorded version is current and the digest matches', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'kv-diff-'));
    dirs.push(stateDir);
    const record = await openWrittenRecord({ stateDir, vaultKey: 'sandbox/vault-a' });
    record.remember('CONN-STR', 'v1', 'value-1');
    record.remember('B', 'v5', 'value-b');
    record.remember('C', 'v7', 'value-c');
    const observed: VaultObservation = {
      plane: 'management',
      existing: new Map([
        ['conn-str', { name: 'CONN-STR', version: 'v1' }],
        ['b', { name: 'B', version: 'v6' }],
        ['c', { name: 'C', version: 'v7' }],
        ['d', { name: 'D', version: 'v1' }],
      ]),
      deleted: new Set(),
    };
    const diff = diffSecrets(
      [e('CONN_STR', 'value-1'), { ...e('B', 'value-b') }, e('C', 'value-c-changed'), e('D', 'anything')],
      observed,
      record,
    );
    expect(diff.items.map((i) => [i.entry.vaultName, i.kind])).toEqual([
      ['CONN-STR', 'unchanged'],
      ['B', 'changed'],
      ['C', 'changed'],
      ['D', 'changed'],
    ]);
    expect(diff.items[1]!.reason).toContain('newer version');
    expect(diff.items[3]!.reason).toContain("can't be compared");
  });

  it('never calls anything unchanged without a record', () => {
    const observed: VaultObservation = {
      plane: 'management',
      existing: new Map([['a', { name: 'A', version: 'v1' }]]),
      deleted: new Set(),
    };
    expect(diffSecrets([e('A', 'x')], observed).items[0]!.kind).toBe('changed');
  });
});
