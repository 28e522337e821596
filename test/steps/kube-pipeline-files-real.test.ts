/**
 * Feathr's pipeline files through the real KubectlHelmAdapter, with the recording helm stand-in:
 * they go as `--set-file pipeline.conf=PATH --set-file pipeline.lookup=PATH` (never their text or
 * its base64 on argv, never in the values file), and a plan against what `helm get values`
 * reports shows a `~` only for the file whose content differs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SetupConfig } from '../../source/config/setup-config.js';
import type { StepContext } from '../../source/steps/step-context.js';
import type { KubePort } from '../../source/kube/port.js';
import { feathrReleaseStep } from '../../source/steps/feathr-release.js';
import { desiredValues } from '../../source/steps/feathr-release-values.js';
import { allArgv, helmVersionRule, standInAdapter, type Rule } from '../kube/stand-in-harness.js';

const CONF = 'canary_pipeline(x as int)\n| project y = x * 2\n;\n';
const LOOKUP = '{"sources":[{"class":"FeathrRedisSource","name":"canary-lookup-5e1a"}]}\n';
const DEPLOYED = {
  name: 'feathr-online',
  namespace: 'feathr',
  version: 3,
  info: { status: 'deployed' },
  chart: { metadata: { name: 'feathr-online', version: '0.1.0' } },
};

describe('pipeline files over the real helm adapter', () => {
  let dir: string;
  let config: SetupConfig;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pipeline-real-'));
    writeFileSync(path.join(dir, 'pipeline.conf'), CONF);
    writeFileSync(path.join(dir, 'lookup.json'), LOOKUP);
    config = {
      target: 'other-cloud',
      azure: {
        subscriptionId: '00000000-0000-0000-0000-00000000feed',
        resourceGroup: 'feathr-rg',
        location: 'eastus',
        tenantId: '00000000-0000-0000-0000-0000000000aa',
      },
      vault: { name: 'feathr-kv-eks' },
      cluster: { kubeContext: 'feathr-eks' },
      // Rotation off: this test has no Azure to ask whether the migration writes anything.
      csi: { install: 'helm', rotation: { enabled: false } },
      identity: {
        mode: 'service-principal',
        servicePrincipal: { clientId: '00000000-0000-0000-0000-00000000b002', clientSecretEnv: 'FEATHR_SP_SECRET' },
      },
      secrets: { sources: [{ env: ['CONN_STR'] }] },
      // Relative paths: resolved against the preset's folder (secrets.baseDir below).
      feathr: { pipelineConf: 'pipeline.conf', lookupJson: 'lookup.json' },
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const context = (kube: KubePort): StepContext =>
    ({
      config,
      kube,
      secrets: { env: { CONN_STR: 'canary-conn-2b8e' }, baseDir: dir },
      waitTimeoutMs: 300_000,
      progress: () => {},
    }) as unknown as StepContext;

  it('hands both files to helm with --set-file, and nothing of them on argv or in the values file', async () => {
    const { adapter, calls, tempLeft } = await standInAdapter([
      helmVersionRule('v3.17.2'),
      { tool: 'helm', args: ['status'], stderr: 'Error: release: not found\n', exitCode: 1 },
      { tool: 'helm', args: ['upgrade'], stdout: { ...DEPLOYED, version: 1 } },
    ]);
    const ctx = context(adapter);
    const planned = await feathrReleaseStep.plan(ctx);
    expect(planned.changes).toEqual([
      expect.objectContaining({
        mark: '+',
        reason: expect.stringContaining(
          'pipeline.conf and pipeline.lookup from feathr.pipelineConf, feathr.lookupJson',
        ),
      }),
    ]);
    await feathrReleaseStep.apply(ctx, planned);

    const upgrade = calls().find((c) => c.tool === 'helm' && c.argv[0] === 'upgrade')!;
    const conf = path.join(dir, 'pipeline.conf');
    const lookup = path.join(dir, 'lookup.json');
    const at = upgrade.argv.indexOf('--set-file');
    expect(upgrade.argv.slice(at, at + 4)).toEqual([
      '--set-file',
      `pipeline.conf=${conf}`,
      '--set-file',
      `pipeline.lookup=${lookup}`,
    ]);
    const given = upgrade.files.filter((f) => f.flag === '--set-file');
    expect(given.map((f) => readFileSync(f.copy, 'utf8'))).toEqual([CONF, LOOKUP]);
    const valuesFile = readFileSync(upgrade.files.find((f) => f.flag === '--values')!.copy, 'utf8');
    expect(JSON.parse(valuesFile).pipeline).toBeUndefined();
    for (const text of ['canary_pipeline', 'canary-lookup-5e1a', Buffer.from(CONF).toString('base64').slice(0, 16)]) {
      expect(allArgv(calls())).not.toContain(text);
      expect(valuesFile).not.toContain(text);
    }
    expect(tempLeft()).toEqual([]);
  });

  it('plans a ~ for pipeline.conf only when the release holds other text, from digests', async () => {
    const { values } = await desiredValues(context(undefined as never));
    const rules = (heldConf: string): Rule[] => [
      helmVersionRule('v3.17.2'),
      {
        tool: 'helm',
        args: ['list', '--filter'],
        stdout: [
          {
            name: 'feathr-online',
            namespace: 'feathr',
            revision: '3',
            status: 'deployed',
            chart: 'feathr-online-0.1.0',
          },
        ],
      },
      // helm get values prints the --set-file text among the user-supplied values.
      { tool: 'helm', args: ['get', 'values'], stdout: { ...values, pipeline: { conf: heldConf, lookup: LOOKUP } } },
    ];
    const stale = await standInAdapter(rules('old_pipeline(x)\n;\n'));
    const planned = await feathrReleaseStep.plan(context(stale.adapter));
    expect(planned.changes.map((c) => `${c.mark} ${c.field}`)).toEqual(['~ pipeline.conf']);
    expect(planned.changes[0]!.from).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(JSON.stringify(planned)).not.toContain('canary_pipeline');

    const same = await standInAdapter(rules(CONF));
    expect((await feathrReleaseStep.plan(context(same.adapter))).action).toBe('no-op');

    // A release installed before the preset named any file: both show up, from the chart default.
    const bare = await standInAdapter([
      ...rules(CONF).slice(0, 2),
      { tool: 'helm', args: ['get', 'values'], stdout: values },
    ]);
    const first = await feathrReleaseStep.plan(context(bare.adapter));
    expect(first.changes.map((c) => `${c.field}: ${c.from} (${c.reason})`)).toEqual([
      'pipeline.conf: (chart default) (feathr.pipelineConf: pipeline.conf given for the first time)',
      'pipeline.lookup: (chart default) (feathr.lookupJson: lookup.json given for the first time)',
    ]);
  });
});
