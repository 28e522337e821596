/**
 * The plan review: the picture of what will exist, the changes with + ~ = marks, and the one
 * approval (the one rule, mustConfirm = hasUI && !autoApprove && !plan.isEmpty; the caller skips
 * this screen when the plan is empty). A blocked plan can't be approved, only left.
 */
import { Box, Text, useInput } from 'ink';
import type { Plan, PlannedStep } from '../kernel/plan.js';
import { Picker } from './picker.js';
import { TopologyPicture, type Topology } from './topology-picture.js';

/** 'back' (escape) returns to the questions without changing anything. */
type Decision = 'apply' | 'cancel' | 'back';

function changeLine(c: PlannedStep['changes'][number]): string {
  const field = c.field ? ` ${c.field}` : '';
  const diff = c.from !== undefined || c.to !== undefined ? `: ${c.from ?? '(none)'} → ${c.to ?? '(none)'}` : '';
  return `${c.mark} ${c.resource}${field}${diff}`;
}

function planLines(plan: Plan): string[] {
  const lines: string[] = [];
  for (const step of plan.steps) {
    const changed = step.changes.filter((c) => c.mark !== '=');
    if (step.action === 'blocked') {
      lines.push(`! ${step.title}: blocked, ${step.blockedReason ?? 'see the hint'}`);
      if (step.hint) lines.push(`    fix: ${step.hint}`);
      continue;
    }
    if (changed.length === 0) {
      lines.push(`= ${step.title}: no changes`);
      continue;
    }
    lines.push(`${step.title}`);
    for (const c of changed) lines.push(`  ${changeLine(c)}`);
  }
  return lines;
}

function planSummary(plan: Plan): string {
  if (plan.blocked.length > 0)
    return `Plan blocked by ${plan.blocked.map((b) => b.stepId).join(', ')}: nothing will be changed.`;
  if (plan.isEmpty) return `No changes: all ${plan.steps.length} steps already match.`;
  const unchanged = plan.steps.filter((s) => s.action === 'no-op').length;
  return `Plan: ${plan.changes} change${plan.changes === 1 ? '' : 's'} (+ create, ~ update), ${unchanged} step${unchanged === 1 ? '' : 's'} unchanged (=).`;
}

function uninstallSummary(plan: Plan): string {
  if (plan.isEmpty) return "Nothing of this tool's is left to remove.";
  return `Uninstall: ${plan.changes} removal${plan.changes === 1 ? '' : 's'} (-). The vault and its secrets are kept (deleting them is the CLI's uninstall --delete-vault).`;
}

export interface PlanReviewProps {
  plan: Plan;
  /** An uninstall plan: removals (-), and the approval says so. */
  mode?: 'setup' | 'uninstall';
  topology?: Topology;
  /** Shown above the approval, e.g. "kube context feathr-aks". */
  context?: string;
  onDecide: (decision: Decision) => void;
}

export function PlanReview({ plan, mode = 'setup', topology, context, onDecide }: PlanReviewProps) {
  const blocked = plan.blocked.length > 0;
  useInput((_input, key) => {
    if (key.escape) onDecide('back');
  });
  const options = blocked
    ? [{ label: 'Quit without changing anything', value: 'cancel' as const }]
    : [
        mode === 'uninstall'
          ? {
              label: `Remove ${plan.changes} thing${plan.changes === 1 ? '' : 's'} (the vault and its secrets stay)`,
              value: 'apply' as const,
            }
          : { label: `Apply ${plan.changes} change${plan.changes === 1 ? '' : 's'}`, value: 'apply' as const },
        { label: 'Cancel, change nothing', value: 'cancel' as const },
      ];
  return (
    <Box flexDirection="column">
      {topology ? <TopologyPicture topology={topology} /> : null}
      <Text> </Text>
      <Text bold>{mode === 'uninstall' ? 'The uninstall plan (- remove, = keep)' : 'The plan'}</Text>
      {planLines(plan).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text> </Text>
      <Text>{mode === 'uninstall' ? uninstallSummary(plan) : planSummary(plan)}</Text>
      {context ? <Text>{`Cluster changes go to kube context ${context}.`}</Text> : null}
      <Text bold>
        ? {blocked ? 'Nothing can be applied' : mode === 'uninstall' ? 'Remove these?' : 'Apply this plan?'}
      </Text>
      <Box marginLeft={2}>
        <Picker options={options} onSubmit={onDecide} />
      </Box>
      <Text dimColor> ↑↓ move · enter choose · esc back · ctrl-c quit</Text>
    </Box>
  );
}
