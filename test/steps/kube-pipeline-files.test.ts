/**
 * Feathr's pipeline.conf / lookup.json and the rotation token, through the whole run in the
 * sandbox (presets/aks-private-endpoint.yaml with its sample files switched on): the files reach
 * the release with --set-file (describe names them, never their text); a re-run with the same
 * files writes nothing; an edited file is one `~` with digests and one helm upgrade; a changed
 * secret bumps rotation.token so the pods restart, and the run after that writes nothing again.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { renderPlanText } from '../../source/kernel/plan-render.js';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import { feathrReleaseStep } from '../../source/steps/feathr-release.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';
import { setSecretValue } from '../helpers/cluster-peek.js';

const NEW_CONF = 'only_this(x as int)\n| project y = x + 1\n;\n';

describe('pipeline files and rotation token on the Feathr release, in the sandbox', () => {
  let h: KubeHarness;
  let dir: string;
  let config: SetupConfig;
  const release = () =>
    (describeClusters(h.sandbox.state).clusters.find((c: any) => c.context === 'feathr-aks') as any).helmReleases[0];
  // Helm's writes: its release record (a Secret sh.helm.release.v1.<name>.v<n>) per revision.
  const helmWrites = (from: number) =>
    h
      .clusterWrites()
      .slice(from)
      .filter((w) => w.method === 'POST' && /\/secrets$/.test(w.path) && w.userAgent?.startsWith('Helm/'));
  const releaseChanges = (plan: {
    steps: { stepId: string; changes: { mark: string; field?: string; from?: string; to?: string }[] }[];
  }) => plan.steps.find((s) => s.stepId === 'feathr-release')!.changes;

  beforeAll(async () => {
    h = await startKubeHarness();
    // The shipped preset with its two commented lines switched on, in a folder of its own:
    // the samples' relative paths resolve against that folder, wherever the run starts.
    dir = await mkdtemp(path.join(tmpdir(), 'pipeline-files-'));
    await mkdir(path.join(dir, 'feathr'));
    await copyFile('presets/feathr/pipeline.conf', path.join(dir, 'feathr', 'pipeline.conf'));
    await copyFile('presets/feathr/lookup.json', path.join(dir, 'feathr', 'lookup.json'));
    const shipped = await readFile('presets/aks-private-endpoint.yaml', 'utf8');
    const switchedOn = shipped.replace(/^ {2}# (pipelineConf|lookupJson): /gm, '  $1: ');
    expect(switchedOn.match(/^ {2}(pipelineConf|lookupJson): /gm)).toHaveLength(2);
    await writeFile(path.join(dir, 'preset.yaml'), switchedOn);
    config = await loadPreset(path.join(dir, 'preset.yaml'));
    expect(config.feathr?.pipelineConf).toBe(path.join(dir, 'feathr', 'pipeline.conf'));
    expect(config.feathr?.lookupJson).toBe(path.join(dir, 'feathr', 'lookup.json'));
  });
  afterAll(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('installs the release with both files given by --set-file; describe names them, never their text', async () => {
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    // --set-file puts the text in the release, as `helm get values` shows (argv: kube-pipeline-files-real).
    const values = (await h.kube('feathr-aks').helmValues('feathr-online', 'feathr')) as { pipeline: { conf: string } };
    expect(values.pipeline.conf).toContain('from ipgeolocation on ip');
  });

  it('writes nothing when run again with the same files', async () => {
    const arm = h.armWrites();
    const writes = h.clusterWrites().length;
    const { outcome } = await h.run(config, 'plan');
    expect(releaseChanges(outcome.plan).map((c) => c.mark)).toEqual(['=']);
    expect(outcome.exitCode).toBe(0);
    expect((await h.run(config, 'apply')).outcome.exitCode).toBe(0);
    expect(h.armWrites()).toBe(arm);
    expect(h.clusterWrites().slice(writes)).toEqual([]);
  });

  it('plans a ~ with two digests for an edited file, and applies it with one helm upgrade', async () => {
    await writeFile(path.join(dir, 'feathr', 'pipeline.conf'), NEW_CONF);
    const revision = release().revision;
    const { outcome } = await h.run(config, 'plan');
    expect(outcome.exitCode).toBe(2);
    const changes = releaseChanges(outcome.plan);
    expect(changes).toEqual([
      expect.objectContaining({
        mark: '~',
        field: 'pipeline.conf',
        reason: 'feathr.pipelineConf: pipeline.conf changed since the release was installed',
      }),
    ]);
    expect(changes[0]!.from).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(changes[0]!.to).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(changes[0]!.to).not.toBe(changes[0]!.from);
    expect(JSON.stringify(outcome.plan)).not.toContain('project y');
    expect(renderPlanText(outcome.plan, { showUnchanged: true })).not.toContain('project y');
    expect(outcome.plan.steps.filter((s) => s.action !== 'no-op').map((s) => s.stepId)).toEqual(['feathr-release']);

    const writes = h.clusterWrites().length;
    const { outcome: applied } = await h.run(config, 'apply');
    expect(applied.exitCode).toBe(0);
    expect(helmWrites(writes)).toHaveLength(1);
    expect(release().revision).toBe(revision + 1);
    const values = (await h.kube('feathr-aks').helmValues('feathr-online', 'feathr')) as { pipeline: { conf: string } };
    expect(values.pipeline.conf).toBe(NEW_CONF);
    expect((await h.run(config, 'plan')).outcome.exitCode).toBe(0);
  });

  it('refuses a file that is not there, naming the preset key', async () => {
    const missing = { ...config, feathr: { ...config.feathr, lookupJson: path.join(dir, 'nope.json') } };
    const failure = await feathrReleaseStep.plan(h.stepContext(missing)).catch((error: Error) => error);
    expect((failure as Error).message).toBe(
      `Can't read feathr.lookupJson ${path.join(dir, 'nope.json')} (no such file).`,
    );
  });

  it('bumps rotation.token when a secret changes, so the pods restart, and keeps it on the next run', async () => {
    setSecretValue(
      h.sandbox,
      'feathr-aks',
      'legacy',
      'feathr-online-secret',
      'COSMOS_API_KEY',
      'sandbox-rotated-cosmos-key',
    );
    const { outcome } = await h.run(config, 'plan');
    expect(releaseChanges(outcome.plan)).toEqual([
      {
        mark: '~',
        resource: 'Helm release feathr/feathr-online (context feathr-aks)',
        field: 'rotation.token',
        from: '(none)',
        to: '1',
        reason: '1 secret changes in vault feathr-kv-demo this run; the pods restart to read the new values',
      },
    ]);
    expect(JSON.stringify(outcome.plan)).not.toContain('sandbox-rotated-cosmos-key');

    const writes = h.clusterWrites().length;
    const revision = release().revision;
    expect((await h.run(config, 'apply')).outcome.exitCode).toBe(0);
    expect(helmWrites(writes)).toHaveLength(1);
    expect(release().revision).toBe(revision + 1);
    expect((await h.kube('feathr-aks').helmValues('feathr-online', 'feathr'))?.rotation).toEqual({
      restartOnChange: true,
      token: '1',
    });

    const arm = h.armWrites();
    const after = h.clusterWrites().length;
    expect((await h.run(config, 'plan')).outcome.exitCode).toBe(0);
    expect((await h.run(config, 'apply')).outcome.exitCode).toBe(0);
    expect(h.armWrites()).toBe(arm);
    expect(h.clusterWrites().slice(after)).toEqual([]);
    expect(
      ((await h.kube('feathr-aks').helmValues('feathr-online', 'feathr'))?.rotation as { token: string }).token,
    ).toBe('1');
  });

  it('keeps the token as it is when rotation is off, though a secret changes', async () => {
    setSecretValue(
      h.sandbox,
      'feathr-aks',
      'legacy',
      'feathr-online-secret',
      'COSMOS_API_KEY',
      'sandbox-rotated-again',
    );
    const off = { ...config, csi: { ...config.csi, rotation: { enabled: false, pollInterval: '2m' } } };
    const { outcome } = await h.run(off, 'plan');
    const fields = releaseChanges(outcome.plan).map((c) => `${c.mark} ${c.field ?? ''}`);
    // No token bump; only the kv-monitor stops judging freshness once rotation is off.
    expect(fields).toEqual(['~ monitor.rotationPollInterval']);
    expect(outcome.plan.steps.find((s) => s.stepId === 'secrets-in')!.action).not.toBe('no-op');
  });
});
