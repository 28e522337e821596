/**
 * The pod-name rule is stated once (source/secrets/pod-name.ts); the chart's values.schema.json
 * carries the same pattern, and every place that takes a pod name uses the module.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { MAX_POD_NAME, POD_NAME, podNameProblem, suggestPodName } from '../../source/domain/pod-name.js';
import { buildChartValues } from '../../source/kube/values-builder.js';

describe('the pod-name rule', () => {
  it('is the one the chart schema enforces', async () => {
    const schema = JSON.parse(await readFile('charts/feathr-online/values.schema.json', 'utf8'));
    const env = schema.properties.keyVault.properties.secrets.items.properties.env;
    expect(env.pattern).toBe(POD_NAME.source);
    expect(env.maxLength).toBe(MAX_POD_NAME);
  });

  it.each([
    ['CONN_STR', undefined],
    ['_private', undefined],
    ['FOO.BAR', "has '.'"],
    ['conn-str', "has '-'"],
    ['9LIVES', 'starts with a digit'],
    ['A B', 'has " "'],
    ['', 'is empty'],
    ['X'.repeat(254), 'at most 253'],
  ])('%s → %s', (name, problem) => {
    if (problem === undefined) expect(podNameProblem(name)).toBeUndefined();
    else expect(podNameProblem(name)).toContain(problem);
  });

  it('a suggestion always passes the rule and avoids names already taken', () => {
    for (const name of ['FOO.BAR', 'conn-str', '9x', 'ÜBER', 'a..b', '-lead']) {
      const suggestion = suggestPodName(name, ['FOO_BAR', 'conn_str']);
      expect(suggestion === undefined || podNameProblem(suggestion) === undefined).toBe(true);
      expect(['foo_bar', 'conn_str']).not.toContain(suggestion?.toLowerCase());
    }
  });

  it('the chart values builder refuses the same names, with the fix', () => {
    const build = (env: string) => () =>
      buildChartValues({
        vaultName: 'feathr-kv',
        tenantId: '00000000-0000-0000-0000-0000000000aa',
        identity: { mode: 'servicePrincipal' },
        mapping: [{ env, vaultName: 'X' }],
      });
    expect(build('FOO.BAR')).toThrow(/FOO\.BAR.*'\.'/);
    expect(build('FOO_BAR')).not.toThrow();
  });
});
