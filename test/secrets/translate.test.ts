import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  mapSecretNames,
  suggestVaultName,
  VAULT_SECRET_NAME,
  type NameSource,
} from '../../source/domain/secret-names.js';
import { POD_NAME } from '../../source/domain/pod-name.js';

const from = (source: string, ...envs: string[]): NameSource[] => envs.map((env) => ({ env, source }));

describe('mapSecretNames', () => {
  it.each([
    ['CONN_STR', 'CONN-STR'],
    ['A__B', 'A--B'],
    ['ONLINE_STORE__REDIS__HOST', 'ONLINE-STORE--REDIS--HOST'],
    ['lower_case', 'lower-case'],
    ['_LEADING', '-LEADING'],
  ])('maps %s to %s', (env, vaultName) => {
    const result = mapSecretNames(from('.env a', env));
    expect(result.problems).toEqual([]);
    expect(result.mapping).toEqual([{ env, vaultName, source: '.env a', renamed: false }]);
  });

  it('refuses a vault name that is too long, suggesting a valid one', () => {
    const env = 'A'.repeat(128);
    const [problem] = mapSecretNames(from('.env a', env)).problems;
    expect(problem).toMatchObject({ kind: 'invalid-name', env, suggestion: 'A'.repeat(123), byRename: true });
    expect(problem!.message).toContain('is 128 characters long');
    expect('A'.repeat(123)).toMatch(VAULT_SECRET_NAME);
  });

  it.each([
    ['FOO.BAR', "'.'", 'FOO_BAR'],
    ['conn-str', "'-'", 'conn_str'],
    ['9LIVES', 'starts with a digit', '_9LIVES'],
    ['ÜBER', "'Ü'", 'UBER'],
  ])('refuses the pod name %s when the source is read: a rename cannot fix it', (env, reason, suggestion) => {
    const [problem] = mapSecretNames(from('.env a', env), { rename: { [env]: 'FIXED' } }).problems;
    expect(problem).toMatchObject({ kind: 'invalid-name', env, suggestion, byRename: false });
    expect(problem!.message).toContain(reason);
    expect(suggestion).toMatch(POD_NAME);
  });

  it('suggests names that collide with nothing already there', () => {
    const [problem] = mapSecretNames(from('.env a', 'CONN_STR', 'conn-str')).problems;
    expect(problem).toMatchObject({ kind: 'invalid-name', env: 'conn-str', suggestion: 'conn_str_2' });
    expect(suggestVaultName('CONN_STR', ['conn-str', 'CONN-STR-2'])).toBe('CONN-STR-3');
  });

  it('refuses an empty name', () => {
    expect(mapSecretNames(from('x', '')).problems[0]!.message).toContain('is empty');
  });

  it('finds CONN_STR, CONN-STR and conn_str colliding across sources, naming each', () => {
    const result = mapSecretNames([
      ...from('.env a', 'CONN_STR', 'OTHER'),
      ...from('Kubernetes Secret legacy/s', 'Conn_Str'),
      ...from('environment', 'conn_str'),
    ]);
    expect(result.ok).toBe(false);
    expect(result.mapping.map((m) => m.env)).toEqual(['OTHER']);
    const [collision] = result.problems;
    expect(collision!.kind).toBe('collision');
    for (const part of [
      'CONN_STR → CONN-STR (from .env a)',
      'Conn_Str → Conn-Str (from Kubernetes Secret legacy/s)',
      'conn_str → conn-str (from environment)',
    ]) {
      expect(collision!.message).toContain(part);
    }
  });

  it('lets a rename resolve a collision and validates rename targets', () => {
    const ok = mapSecretNames(from('.env a', 'CONN_STR', 'conn_str'), { rename: { conn_str: 'conn-str-lower' } });
    expect(ok.problems).toEqual([]);
    expect(ok.mapping).toContainEqual({
      env: 'conn_str',
      vaultName: 'conn-str-lower',
      source: '.env a',
      renamed: true,
    });

    const bad = mapSecretNames(from('.env a', 'X'), { rename: { X: 'x_y' } });
    expect(bad.problems[0]).toMatchObject({ kind: 'invalid-rename', suggestion: 'x-y' });
  });

  it('finds a rename target colliding with a derived name, and two renames onto one name', () => {
    const derived = mapSecretNames(from('.env a', 'A_B', 'C'), { rename: { C: 'a-b' } });
    expect(derived.problems.map((p) => p.kind)).toEqual(['collision']);
    const renames = mapSecretNames([], { rename: { X: 'SAME', Y: 'same' } });
    expect(renames.problems[0]!.message).toContain('X → SAME');
    expect(renames.problems[0]!.message).toContain('Y → same');
  });

  it('treats one name in two sources by precedence', () => {
    const names = [...from('.env a', 'K'), ...from('environment', 'K')];
    expect(mapSecretNames(names).problems[0]).toMatchObject({ kind: 'duplicate', sources: ['.env a', 'environment'] });
    const later = mapSecretNames(names, { precedence: 'later-wins' });
    expect(later.mapping).toEqual([{ env: 'K', vaultName: 'K', source: 'environment', renamed: false }]);
    expect(later.warnings[0]).toContain('environment');
  });
});

describe('properties', () => {
  const nameChar = fc.constantFrom(...'abcABC019_-.Ü é$'.split(''));
  const name = fc.string({ unit: nameChar, minLength: 0, maxLength: 12 });
  const longName = fc.string({ unit: fc.constantFrom('A', '_'), minLength: 120, maxLength: 135 });
  // A tiny alphabet so case-only and _/- collisions come up in most runs.
  const clashing = fc.string({ unit: fc.constantFrom('a', 'A', '_', '-', 'b'), minLength: 1, maxLength: 3 });
  const names = fc.array(fc.oneof(name, longName, clashing), { maxLength: 12 });
  const renames = fc.dictionary(name, name, { maxKeys: 4 });

  it('every produced vault name matches ^[0-9a-zA-Z-]{1,127}$', () => {
    fc.assert(
      fc.property(names, renames, (envs, rename) => {
        const result = mapSecretNames(from('s', ...envs), { rename });
        for (const m of result.mapping) expect(m.vaultName).toMatch(VAULT_SECRET_NAME);
      }),
    );
  });

  it('no two accepted names are equal ignoring case; every input is mapped or reported', () => {
    fc.assert(
      fc.property(names, renames, (envs, rename) => {
        const sources = envs.map((env, i) => ({ env, source: `s${i % 3}` }));
        const result = mapSecretNames(sources, { rename, precedence: 'later-wins' });
        const keys = result.mapping.map((m) => m.vaultName.toLowerCase());
        expect(new Set(keys).size).toBe(keys.length);
        const reported = new Set(
          result.problems.flatMap((p) => ('entries' in p ? p.entries.map((e) => e.env) : [p.env])),
        );
        for (const env of new Set(envs))
          expect(result.mapping.some((m) => m.env === env) || reported.has(env)).toBe(true);
      }),
    );
  });

  it('every suggestion is itself a valid vault name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const suggestion = suggestVaultName(text);
        if (suggestion !== undefined) expect(suggestion).toMatch(VAULT_SECRET_NAME);
      }),
    );
  });

  it('applying a suggested fix leaves no problem about that name (pod names in the source, vault names by rename)', () => {
    fc.assert(
      fc.property(names, (envs) => {
        const first = mapSecretNames(from('s', ...envs));
        for (const problem of first.problems) {
          if (problem.kind !== 'invalid-name' || problem.suggestion === undefined) continue;
          const fixed = problem.byRename
            ? mapSecretNames(from('s', ...envs), { rename: { [problem.env]: problem.suggestion } })
            : mapSecretNames(from('s', ...envs.map((e) => (e === problem.env ? problem.suggestion! : e))));
          const about = fixed.problems.filter((p) =>
            'entries' in p
              ? p.entries.some((e) => e.env === problem.env || e.env === problem.suggestion)
              : p.env === problem.env || p.env === problem.suggestion,
          );
          expect(about.filter((p) => p.kind !== 'duplicate')).toEqual([]);
        }
      }),
    );
  });
});
