import { describe, expect, it } from 'vitest';
import { runDag } from '../../source/kernel/dag.js';
import { applyPlan, planSteps } from '../../source/kernel/executor.js';
import type { BaseContext } from '../../source/steps/step-context.js';
import { CancelledError, UserError } from '../../source/kernel/errors.js';
import type { EngineEvent } from '../../source/kernel/events.js';
import { fromChanges, noOp } from '../../source/kernel/plan.js';
import type { Step, StepContext } from '../../source/steps/step-context.js';
import { mustConfirm, needsYesFlag } from '../../source/kernel/approval.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** Fake steps touch no Azure: the base context's clients are never read. */
function base(signal = new AbortController().signal): BaseContext {
  return {
    config: {
      target: 'azure',
      azure: { subscriptionId: 's', resourceGroup: 'rg', location: 'eastus' },
      vault: { name: 'kv' },
    },
    azure: undefined as never,
    operator: { whoAmI: async () => undefined },
    signal,
    pollIntervalMs: 1,
    waitTimeoutMs: 100,
  };
}

function step(id: string, dependsOn: string[], hooks: Partial<Pick<Step, 'plan' | 'apply' | 'verify'>> = {}): Step {
  return {
    id,
    title: id,
    dependsOn,
    appliesTo: () => true,
    plan: hooks.plan ?? (async () => fromChanges({ id }, [{ mark: '+', resource: id, reason: 'test' }])),
    apply: hooks.apply ?? (async () => {}),
    verify: hooks.verify ?? (async () => `${id} verified`),
  };
}

describe('runDag', () => {
  it('starts each node as soon as its dependencies are done, never before', async () => {
    const log: string[] = [];
    const nodes = [
      { id: 'a', dependsOn: [], ms: 30 },
      { id: 'b', dependsOn: [], ms: 5 },
      { id: 'c', dependsOn: ['b'], ms: 5 },
      { id: 'd', dependsOn: ['a', 'c'], ms: 1 },
    ];
    await runDag(
      nodes,
      async (n) => {
        log.push(`start ${n.id}`);
        await tick(n.ms);
        log.push(`end ${n.id}`);
      },
      { concurrency: 4 },
    );
    // c waits only for b, so it starts while a is still running; d waits for both a and c.
    expect(log.indexOf('start c')).toBeLessThan(log.indexOf('end a'));
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end b'));
    expect(log.indexOf('start d')).toBeGreaterThan(log.indexOf('end a'));
    expect(log.at(-1)).toBe('end d');
  });

  it('never runs more than the concurrency bound at once', async () => {
    let running = 0;
    let peak = 0;
    const nodes = Array.from({ length: 9 }, (_, i) => ({ id: `n${i}`, dependsOn: [] }));
    await runDag(
      nodes,
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await tick(3);
        running -= 1;
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
  });

  it.each([
    [[{ id: 'a', dependsOn: ['x'] }], 'Step a depends on unknown step x.'],
    [
      [
        { id: 'a', dependsOn: ['b'] },
        { id: 'b', dependsOn: ['a'] },
      ],
      'Steps form a cycle: a -> b -> a.',
    ],
  ])('refuses a bad graph before running anything (%#)', async (nodes, message) => {
    let ran = false;
    await expect(runDag(nodes, async () => void (ran = true), { concurrency: 2 })).rejects.toThrow(message);
    expect(ran).toBe(false);
  });

  it('stops starting new work on abort, lets running work finish, and throws CancelledError (exit 130)', async () => {
    const abort = new AbortController();
    const started: string[] = [];
    const finished: string[] = [];
    const nodes = [
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
    ];
    const run = runDag(
      nodes,
      async (n) => {
        started.push(n.id);
        abort.abort();
        await tick(10);
        finished.push(n.id);
      },
      { concurrency: 2, signal: abort.signal },
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).exitCode).toBe(130);
    expect(started).toEqual(['a']);
    expect(finished).toEqual(['a']);
  });
});

describe('applyPlan', () => {
  it('runs finalizers in reverse order even when a step fails, and skips dependents of the failure', async () => {
    const order: string[] = [];
    const events: EngineEvent[] = [];
    const steps = [
      step('one', [], {
        apply: async (ctx) => ctx.addFinalizer({ name: 'first', run: async () => void order.push('first') }),
      }),
      step('two', ['one'], {
        apply: async (ctx: StepContext) => {
          ctx.addFinalizer({ name: 'second', run: async () => void order.push('second') });
          throw new UserError('two broke');
        },
      }),
      step('three', ['two'], { apply: async () => void order.push('three ran') }),
    ];
    const emit = (e: EngineEvent) => events.push(e);
    const plan = await planSteps(steps, base(), { concurrency: 2, emit });
    await expect(applyPlan(plan, steps, base(), { concurrency: 2, emit })).rejects.toThrow('two broke');
    expect(order).toEqual(['second', 'first']);
    expect(events.filter((e) => e.type === 'step.failed').map((e) => (e as { stepId: string }).stepId)).toEqual([
      'two',
    ]);
  });

  it('announces step.planned in the table order however the reads race', async () => {
    const slow = (ms: number) => async () => {
      await tick(ms);
      return noOp({ ms }, []);
    };
    const steps = [
      step('first', [], { plan: slow(30) }),
      step('second', [], { plan: slow(1) }),
      step('third', [], { plan: slow(15) }),
    ];
    const events: EngineEvent[] = [];
    await planSteps(steps, base(), { concurrency: 3, emit: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'step.planned').map((e) => (e as { stepId: string }).stepId)).toEqual([
      'first',
      'second',
      'third',
    ]);
  });

  it('refuses a stale plan before any apply', async () => {
    let observedValue = 'v1';
    let applied = false;
    const steps = [
      step('vault', [], {
        plan: async () => fromChanges({ etag: observedValue }, [{ mark: '~', resource: 'vault', reason: 'r' }]),
        apply: async () => void (applied = true),
      }),
    ];
    const emit = () => {};
    const plan = await planSteps(steps, base(), { concurrency: 1, emit });
    observedValue = 'v2';
    await expect(applyPlan(plan, steps, base(), { concurrency: 1, emit })).rejects.toThrow(
      'The plan is stale: vault changed since it was planned. Run plan again.',
    );
    expect(applied).toBe(false);
  });

  it('reads a plan applied the moment it was made (--yes) only once', async () => {
    let plans = 0;
    let applied = false;
    const steps = [
      step('vault', [], {
        plan: async () => {
          plans += 1;
          return fromChanges({ etag: 'v1' }, [{ mark: '~', resource: 'vault', reason: 'r' }]);
        },
        apply: async () => void (applied = true),
      }),
    ];
    const emit = () => {};
    const plan = await planSteps(steps, base(), { concurrency: 1, emit });
    await applyPlan(plan, steps, base(), { concurrency: 1, emit }, { recheck: false });
    expect([plans, applied]).toEqual([1, true]);
    // After an approval (time for the world to move), everything is read again first.
    await applyPlan(plan, steps, base(), { concurrency: 1, emit });
    expect(plans).toBe(2);
  });

  it('applies only steps with changes, verifies every step, and refuses a blocked plan outright', async () => {
    const applied: string[] = [];
    const steps = [
      step('same', [], { plan: async () => noOp({ s: 1 }), apply: async () => void applied.push('same') }),
      step('new', ['same'], { apply: async () => void applied.push('new') }),
    ];
    const emit = () => {};
    const plan = await planSteps(steps, base(), { concurrency: 2, emit });
    const result = await applyPlan(plan, steps, base(), { concurrency: 2, emit });
    expect(applied).toEqual(['new']);
    expect(result.verified.map((v) => v.stepId).sort()).toEqual(['new', 'same']);

    const blockedSteps = [
      step('b', [], {
        plan: async () => ({
          action: 'blocked',
          changes: [],
          observed: 'x',
          blockedReason: 'No way.',
          hint: 'Fix it.',
        }),
        apply: async () => void applied.push('b'),
      }),
    ];
    const blockedPlan = await planSteps(blockedSteps, base(), { concurrency: 1, emit });
    await expect(applyPlan(blockedPlan, blockedSteps, base(), { concurrency: 1, emit })).rejects.toThrow('No way.');
    expect(applied).toEqual(['new']);
  });
});

describe('approval rule', () => {
  it.each([
    // hasTTY, yes, empty -> mustConfirm, needsYes
    [true, false, false, true, false],
    [true, true, false, false, false],
    [true, false, true, false, false],
    [false, false, false, false, true],
    [false, true, false, false, false],
    [false, false, true, false, false],
  ])('hasTTY=%s yes=%s empty=%s -> confirm %s, needs --yes %s', (hasTTY, yes, planIsEmpty, confirm, needsYes) => {
    expect(mustConfirm({ hasTTY, yes, planIsEmpty })).toBe(confirm);
    expect(needsYesFlag({ hasTTY, yes, planIsEmpty })).toBe(needsYes);
  });
});
