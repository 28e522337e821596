import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { loadPreset } from '../../source/config/load-preset.js';
import { presetJsonSchemaText } from '../../source/config/json-schema.js';
import { runCli } from '../cli/run-cli.js';

const presets = (await readdir('presets')).filter((f) => f.endsWith('.yaml'));

describe('shipped presets', () => {
  it('are the three of the issue', () => {
    expect(presets.sort()).toEqual([
      'aks-private-endpoint.yaml',
      'other-cloud-allowlist.yaml',
      'other-cloud-workload-identity.yaml',
    ]);
  });

  it.each(presets)('%s starts with the schema comment and is valid', async (file) => {
    const text = await readFile(`presets/${file}`, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema.json');
    const config = await loadPreset(`presets/${file}`);
    expect(config.azure.subscriptionId).toBe('00000000-0000-0000-0000-00000000feed');
    expect(config.cluster.kubeContext).toBe(config.target === 'azure' ? 'feathr-aks' : 'feathr-eks');
  });

  it('use distinct vault names so they can run in one world', async () => {
    const names = await Promise.all(presets.map(async (f) => (await loadPreset(`presets/${f}`)).vault.name));
    expect(new Set(names).size).toBe(presets.length);
  });

  it.each(presets)('uninstall --preset %s gets past validation to the command itself', async (file) => {
    // Issue 10: uninstall is built; on a fresh sandbox it finds nothing of this tool's to remove.
    const run = await runCli(['uninstall', '--preset', `presets/${file}`, '--sandbox', '--dry-run']);
    expect(run.stderr).not.toContain('The preset');
    expect(run.code).toBe(0);
  });

  it('--kube-context overrides the preset (flag ?? preset)', async () => {
    const config = await loadPreset('presets/aks-private-endpoint.yaml', { kubeContext: 'other' });
    expect(config.cluster.kubeContext).toBe('other');
  });
});

describe('presets/schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema` when this fails)', async () => {
    expect(await readFile('presets/schema.json', 'utf8')).toBe(presetJsonSchemaText());
  });
});
