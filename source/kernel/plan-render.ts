/**
 * The plan for humans, grouped by step with + ~ = marks and reasons:
 *
 *   Vault (vault)
 *     + vault feathr-kv-demo: create it (permission model rbac)
 *     ~ vault feathr-kv-demo networkAcls.defaultAction: Allow -> Deny (only allowlisted IPs)
 *
 *   Plan: 3 to change. Blocked: none.
 */
import type { Plan, PlannedStep } from './plan.js';

function renderChange(c: PlannedStep['changes'][number]): string {
  const field = c.field ? ` ${c.field}` : '';
  const diff =
    c.from !== undefined && c.to !== undefined
      ? `: ${c.from} -> ${c.to}`
      : c.to !== undefined
        ? `: ${c.to}`
        : c.from !== undefined
          ? `: ${c.from} -> (removed)`
          : '';
  return `  ${c.mark} ${c.resource}${field}${diff} (${c.reason})`;
}

export function renderPlanText(plan: Plan, options: { showUnchanged?: boolean } = {}): string {
  const lines: string[] = [];
  for (const step of plan.steps) {
    const visible = options.showUnchanged ? step.changes : step.changes.filter((c) => c.mark !== '=');
    if (step.action === 'no-op' && visible.length === 0 && !options.showUnchanged) continue;
    lines.push(`${step.title} (${step.stepId})${step.action === 'no-op' ? ': no changes' : ''}`);
    if (step.action === 'blocked') {
      lines.push(`  ! blocked: ${step.blockedReason ?? ''}`);
      if (step.hint) lines.push(`    fix: ${step.hint}`);
    }
    for (const c of visible) lines.push(renderChange(c));
    lines.push('');
  }
  const unchanged = plan.steps.filter((s) => s.action === 'no-op').length;
  if (plan.blocked.length > 0) {
    lines.push(`Plan blocked by ${plan.blocked.map((b) => b.stepId).join(', ')}: nothing will be changed.`);
  } else if (plan.isEmpty) {
    // Said once, by the run's result line ("No changes: all N steps already match the preset.").
    return lines.join('\n').trimEnd();
  } else {
    lines.push(
      `Plan: ${plan.changes} change${plan.changes === 1 ? '' : 's'} in ${plan.steps.length - unchanged} step${plan.steps.length - unchanged === 1 ? '' : 's'}; ${unchanged} unchanged.`,
    );
  }
  return lines.join('\n');
}

/** For renderers that receive plan.ready's `plan: unknown`: the text form, or undefined if it isn't a Plan. */
export function renderPlanValue(plan: unknown): string | undefined {
  const p = plan as Plan | undefined;
  if (!p || p.version !== 1 || !Array.isArray(p.steps)) return undefined;
  return renderPlanText(p);
}
