import { describe, expect, it } from 'vitest';
import { foldEvents, initialRunView, pendingChanges, type TimedEvent } from '../../source/ui/view-state.js';
import type { EngineEvent } from '../../source/kernel/events.js';

const at = (event: EngineEvent, ms: number): TimedEvent => ({ event, at: ms });

describe('foldEvent', () => {
  it('folds a run into phases, step states, finishing order and checks', () => {
    const view = foldEvents([
      at({ type: 'run.started', command: 'setup', sandbox: true }, 0),
      at({ type: 'step.planned', stepId: 'vault', title: 'Vault', action: 'create', summary: '1 to create' }, 1),
      at({ type: 'step.planned', stepId: 'rg', title: 'Resource group', action: 'no-op', summary: 'no changes' }, 1),
      at({ type: 'plan.ready', plan: { steps: [] }, changes: 1 }, 2),
      at({ type: 'step.started', stepId: 'rg', title: 'Resource group' }, 10),
      at({ type: 'step.started', stepId: 'vault', title: 'Vault' }, 11),
      at({ type: 'step.progress', stepId: 'vault', message: 'Waiting', done: 3, total: 8 }, 20),
      at({ type: 'step.done', stepId: 'vault', title: 'Vault', summary: 'Vault created', ms: 40 }, 51),
      at({ type: 'step.failed', stepId: 'rg', title: 'Resource group', error: "Can't read", hint: 'az login' }, 70),
      at(
        {
          type: 'check.result',
          category: 'network',
          id: 'dns',
          description: 'DNS',
          status: 'warn',
          severity: 'warning',
        },
        71,
      ),
      at(
        {
          type: 'check.result',
          category: 'network',
          id: 'dns',
          description: 'DNS',
          status: 'pass',
          severity: 'warning',
        },
        72,
      ),
      at({ type: 'result', ok: false, exitCode: 1 }, 80),
    ]);
    expect(view.phase).toBe('finished');
    expect(view.steps.map((s) => s.id)).toEqual(['vault', 'rg']);
    expect(view.finished).toEqual(['vault', 'rg']);
    const vault = view.steps[0]!;
    expect(vault).toMatchObject({
      status: 'done',
      summary: 'Vault created',
      ms: 40,
      done: 3,
      total: 8,
      planSummary: '1 to create',
    });
    expect(view.steps[1]).toMatchObject({ status: 'failed', error: "Can't read", hint: 'az login', ms: 60 });
    expect(view.checks).toEqual([
      { category: 'network', id: 'dns', description: 'DNS', status: 'pass', severity: 'warning' },
    ]);
    expect(view.changes).toBe(1);
    expect(pendingChanges(view).map((s) => s.id)).toEqual(['vault']);
  });

  it('never mutates the state it folds', () => {
    const before = JSON.stringify(initialRunView);
    foldEvents([at({ type: 'step.started', stepId: 'a', title: 'A' }, 1)]);
    expect(JSON.stringify(initialRunView)).toBe(before);
  });
});
