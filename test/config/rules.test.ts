import { describe, expect, it } from 'vitest';
import { allowedIpProblem, allowedIpListProblems } from '../../source/config/allowed-ips.js';
import { vaultNameProblems, suggestVaultName } from '../../source/domain/vault-name.js';
import { resolveAnswer } from '../../source/config/resolve.js';
import { missingInputs } from '../../source/config/missing-inputs.js';

describe('allowedIps entries', () => {
  it.each(['52.14.20.1', '52.14.20.0/24', '8.8.8.8/32'])('accepts %s', (entry) => {
    expect(allowedIpProblem(entry)).toBeUndefined();
  });
  it.each([
    ['172.16.5.4', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['203.0.113.7', 'reserved or documentation'],
    ['0.0.0.0', 'unspecified'],
    ['::ffff:52.14.20.1', 'IPv6'],
    ['52.14.20', 'not an IPv4 address'],
    ['52.14.20.1/33', 'not an IPv4 address'],
    [' 52.14.20.1', 'no spaces'],
  ])('refuses %s (%s)', (entry, why) => {
    expect(allowedIpProblem(entry)).toContain(why);
  });
  it('refuses more than 1000 rules and duplicates written two ways', () => {
    expect(allowedIpListProblems(['52.14.20.1', '52.14.20.1/32'])[0]).toBe(
      'has 52.14.20.1 and 52.14.20.1/32, which are the same address',
    );
    expect(allowedIpListProblems(['52.14.20.1', '52.14.20.1'])[0]).toBe('has 52.14.20.1 twice');
    const many = Array.from({ length: 1001 }, (_, i) => `52.${Math.floor(i / 256)}.${i % 256}.1`);
    expect(allowedIpListProblems(many)[0]).toContain('at most 1000');
  });
});

describe('vault names', () => {
  it.each(['feathr-kv-demo', 'abc', 'a'.repeat(24), 'kv1'])('accepts %s', (name) =>
    expect(vaultNameProblems(name)).toEqual([]),
  );
  it.each([
    ['ab', '3 to 24'],
    ['a'.repeat(25), '3 to 24'],
    ['kv-', 'end with a letter or digit'],
    ['-kv', 'start with a letter'],
    ['kv--x', 'two hyphens'],
    ['kv.x', "'.'"],
  ])('refuses %s', (name, why) => expect(vaultNameProblems(name).join('; ')).toContain(why));
  it('suggests a name that passes', () => {
    for (const bad of ['Feathr_KV', '9kv', 'x', 'kv--demo-', 'ÜBER vault']) {
      const suggestion = suggestVaultName(bad);
      if (suggestion !== undefined) expect(vaultNameProblems(suggestion)).toEqual([]);
    }
  });
});

describe('resolveAnswer: flag ?? preset ?? (yes ? default : prompt)', () => {
  const prompt = async () => 'asked';
  it.each([
    [{ flag: 'f', preset: 'p', fallback: 'd', prompt }, { yes: false, canPrompt: true }, 'f'],
    [{ preset: 'p', fallback: 'd', prompt }, { yes: false, canPrompt: true }, 'p'],
    [{ fallback: 'd', prompt }, { yes: true, canPrompt: true }, 'd'],
    [{ fallback: 'd', prompt }, { yes: false, canPrompt: true }, 'asked'],
    [{ fallback: 'd', prompt }, { yes: false, canPrompt: false }, 'd'],
  ])('%o with %o gives %s', async (sources, context, expected) => {
    expect(await resolveAnswer('x', sources, context)).toEqual({ ok: true, value: expected });
  });
  it('reports a missing answer when nothing can supply it', async () => {
    expect(await resolveAnswer('vault.name', { prompt }, { yes: true, canPrompt: false })).toEqual({
      ok: false,
      missing: 'vault.name',
    });
  });
});

describe('missingInputs', () => {
  it('skips given and defaulted fields and adds the target-specific ones', () => {
    const missing = missingInputs({ target: 'other-cloud', vault: { name: 'kv1' }, cluster: { kubeContext: 'c' } });
    expect(missing).toContain('azure.subscriptionId');
    expect(missing).toContain('network.allowedIps');
    expect(missing).not.toContain('vault.name');
    expect(missing).not.toContain('vault.create');
    expect(missing).not.toContain('cluster.kubeContext');
  });
});
