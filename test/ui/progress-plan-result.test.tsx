import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { ProgressView, progressBar } from '../../source/ui/progress-view.js';
import { PlanReview } from '../../source/ui/plan-review.js';
import { nextSteps, ResultView } from '../../source/ui/result-view.js';
import { foldEvents, type TimedEvent } from '../../source/ui/view-state.js';
import { makePlan, type PlannedStep } from '../../source/kernel/plan.js';
import type { EngineEvent } from '../../source/kernel/events.js';
import { KEY, waitForText } from './ink-helpers.js';

const t = (event: EngineEvent, at = Date.now()): TimedEvent => ({ event, at });

describe('ProgressView', () => {
  it('prints finished steps once, spins running ones and draws the migration bar', () => {
    const view = foldEvents([
      t({ type: 'run.started', command: 'setup', sandbox: true }),
      t({ type: 'step.started', stepId: 'vault', title: 'Vault' }),
      t({ type: 'step.done', stepId: 'vault', title: 'Vault', summary: 'Vault feathr-kv created', ms: 1234 }),
      t({ type: 'step.started', stepId: 'secrets', title: 'Secret migration' }),
      t({ type: 'step.progress', stepId: 'secrets', message: 'Writing CONN-STR', done: 5, total: 8 }),
      t({ type: 'step.planned', stepId: 'helm', title: 'Feathr chart', action: 'create', summary: '' }),
    ]);
    const { lastFrame } = render(<ProgressView view={view} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('√ Vault feathr-kv created  (1.2 s)');
    expect(frame).toContain('Secret migration');
    expect(frame).toContain('[█████████████░░░░░░░] 5/8');
    expect(frame).toContain('Writing CONN-STR');
    expect(frame).toContain('1 step waiting');
  });

  it('bars stay within bounds', () => {
    expect(progressBar(0, 0, 4)).toBe('[░░░░] 0/0');
    expect(progressBar(9, 8, 4)).toBe('[████] 9/8');
  });
});

const step = (
  stepId: string,
  title: string,
  action: PlannedStep['action'],
  changes: PlannedStep['changes'],
  extra: Partial<PlannedStep> = {},
): PlannedStep => ({
  stepId,
  title,
  action,
  changes,
  observed: 'x',
  dependsOn: [],
  ...extra,
});

describe('PlanReview', () => {
  const plan = makePlan('azure', [
    step('rg', 'Resource group', 'no-op', [{ mark: '=', resource: 'resource group feathr-rg', reason: 'exists' }]),
    step('vault', 'Vault', 'create', [{ mark: '+', resource: 'vault feathr-kv-ab12', reason: 'new' }]),
    step('aks', 'CSI driver', 'update', [
      { mark: '~', resource: 'AKS feathr-aks', field: 'addon', from: 'off', to: 'on', reason: 'enable' },
    ]),
  ]);

  it('shows + ~ = and hands back one decision', async () => {
    const onDecide = vi.fn();
    const { lastFrame, stdin } = render(<PlanReview plan={plan} context="feathr-aks" onDecide={onDecide} />);
    const frame = await waitForText(lastFrame, 'Apply this plan?');
    expect(frame).toContain('= Resource group: no changes');
    expect(frame).toContain('  + vault feathr-kv-ab12');
    expect(frame).toContain('  ~ AKS feathr-aks addon: off → on');
    expect(frame).toContain('Plan: 2 changes');
    expect(frame).toContain('❯ Apply 2 changes');
    stdin.write(KEY.down);
    await waitForText(lastFrame, '❯ Cancel, change nothing');
    stdin.write(KEY.enter);
    expect(onDecide).toHaveBeenCalledWith('cancel');
  });

  it('offers no apply when a step is blocked', async () => {
    const blocked = makePlan('azure', [
      step('peer', 'Peering', 'blocked', [], { blockedReason: 'address spaces overlap', hint: 'pick another VNet' }),
    ]);
    const onDecide = vi.fn();
    const { lastFrame, stdin } = render(<PlanReview plan={blocked} onDecide={onDecide} />);
    const frame = await waitForText(lastFrame, 'Nothing can be applied');
    expect(frame).toContain('! Peering: blocked, address spaces overlap');
    expect(frame).toContain('fix: pick another VNet');
    expect(frame).not.toContain('Apply ');
    stdin.write(KEY.enter);
    expect(onDecide).toHaveBeenCalledWith('cancel');
  });
});

describe('ResultView', () => {
  const view = foldEvents([
    t({ type: 'step.started', stepId: 'vault', title: 'Vault' }),
    t({
      type: 'step.done',
      stepId: 'vault',
      title: 'Vault',
      summary: 'Vault feathr-kv-ab12 exists, public access off',
      ms: 5,
    }),
    t({
      type: 'check.result',
      category: 'mount',
      id: 'm',
      description: 'secrets mount in a pod',
      status: 'fail',
      severity: 'fatal',
      message: 'FailedMount',
      hint: 'kubectl -n feathr describe pod',
    }),
    t({ type: 'result', ok: true, exitCode: 0 }),
  ]);

  it('shows what exists, the checks, next steps, and saves a preset when asked', async () => {
    const onSave = vi.fn(async (path: string) => path);
    const onExit = vi.fn();
    const { lastFrame, stdin } = render(
      <ResultView view={view} namespace="feathr" onSavePreset={onSave} onExit={onExit} />,
    );
    const frame = await waitForText(lastFrame, 'Save these answers');
    expect(frame).toContain('√ Setup complete');
    expect(frame).toContain('√ Vault feathr-kv-ab12 exists, public access off');
    expect(frame).toContain('×  mount  secrets mount in a pod: FailedMount');
    expect(frame).toContain('fix: kubectl -n feathr describe pod');
    expect(frame).toContain('$ kubectl -n feathr get pods');
    expect(frame).toContain('$ feathr-kv-setup check --preset FILE   (save the answers below as FILE first)');
    stdin.write(KEY.down);
    await waitForText(lastFrame, '❯ Yes, save');
    stdin.write(KEY.enter);
    await waitForText(lastFrame, 'Preset file');
    stdin.write(KEY.enter);
    await waitForText(lastFrame, 'Preset saved to feathr-kv-preset.yaml');
    expect(onSave).toHaveBeenCalledWith('feathr-kv-preset.yaml');
    expect(onExit).toHaveBeenCalledTimes(1);
  });

  it('exits without saving on the default answer', async () => {
    const onSave = vi.fn(async (path: string) => path);
    const onExit = vi.fn();
    const { lastFrame, stdin } = render(
      <ResultView view={view} namespace="feathr" onSavePreset={onSave} onExit={onExit} />,
    );
    await waitForText(lastFrame, 'Save these answers');
    stdin.write(KEY.enter);
    expect(onExit).toHaveBeenCalledTimes(1);
    expect(onSave).not.toHaveBeenCalled();
  });
});

describe('nextSteps: commands that work as printed', () => {
  it.each([
    [
      'azure, preset saved',
      { kind: 'azure' } as const,
      'p.yaml',
      [
        'kubectl -n feathr get pods',
        'feathr-kv-setup check --preset p.yaml',
        'feathr-kv-setup --preset p.yaml --yes   (repeat this setup)',
      ],
    ],
    [
      'a sandbox already serving',
      { kind: 'sandbox-url', url: 'https://127.0.0.1:1', caFile: '/ca.pem' } as const,
      'p.yaml',
      [
        'feathr-kv-setup check --preset p.yaml --sandbox-url https://127.0.0.1:1 --sandbox-ca /ca.pem',
        'feathr-kv-setup --preset p.yaml --yes --sandbox-url https://127.0.0.1:1 --sandbox-ca /ca.pem   (repeat this setup)',
      ],
    ],
  ])('%s', (_name, where, preset, lines) => {
    expect(nextSteps('feathr', preset, where)).toEqual(lines);
  });

  it('the in-process sandbox: no kubectl, no check against a sandbox that is gone', () => {
    const lines = nextSteps('feathr', 'p.yaml', { kind: 'sandbox' });
    expect(lines.join('\n')).not.toMatch(/kubectl|check --preset/);
    expect(lines[0]).toBe('feathr-kv-setup --preset p.yaml --yes --sandbox   (the same setup in a fresh sandbox)');
  });
});
