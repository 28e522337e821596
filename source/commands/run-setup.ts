/**
 * The default command. With --preset: preset mode (approval on a TTY, --yes without one).
 * Without: the guided session, which needs a terminal; without one, every missing input is
 * named at once (like nonTTYFlagRequirements) before anything happens.
 */
import { UserError } from '../kernel/errors.js';
import { canPrompt } from '../config/resolve.js';
import type { ConfiguredCommandInput, CommandContext } from './command-context.js';
import type { CommonFlags } from './common-flags.js';

/** Preset mode on an already-validated config. */
export async function runPreset(input: ConfiguredCommandInput): Promise<number> {
  const { flags, io } = input;
  // The approval rule's headless half: no terminal to ask on, so --yes (or --dry-run) must say it.
  if (!flags.yes && !flags.dryRun && !canPrompt(io.stdinIsTTY, flags.output)) {
    throw new UserError(
      "Can't ask for approval: there's no terminal (or --output json is set).",
      'Add --yes to apply without asking, or run `feathr-kv-setup plan --preset FILE` to see the changes first.',
    );
  }
  const { setupCommand } = await import('../use-cases/setup/setup-command.js');
  return setupCommand({
    config: input.config,
    mode: flags.dryRun ? 'dry-run' : 'apply',
    flags,
    stdinIsTTY: io.stdinIsTTY,
    emit: (event) => input.reporter.emit(event),
  });
}

/** The guided session; `missing` lists what the wizard would have to ask. */
export async function runGuided(flags: CommonFlags, context: CommandContext): Promise<number> {
  if (!canPrompt(context.io.stdinIsTTY, flags.output)) {
    const { missingInputs } = await import('../config/missing-inputs.js');
    const partial = flags.kubeContext ? { cluster: { kubeContext: flags.kubeContext } } : {};
    const missing = missingInputs(partial);
    throw new UserError(
      `Can't start the guided session without a terminal${flags.output === 'json' ? ' (or with --output json)' : ''}; ${missing.length} inputs are missing:`,
      'Pass --preset FILE with these settings (see presets/), or run in a terminal.',
      missing.map((name) => `missing: ${name}`),
    );
  }
  const { startWizard } = await import('../ui/start-wizard.js');
  const env = context.io.env;
  const target =
    flags.sandboxUrl && flags.sandboxCa
      ? { kind: 'sandbox-url' as const, url: flags.sandboxUrl, caFile: flags.sandboxCa }
      : flags.sandbox
        ? { kind: 'sandbox' as const }
        : { kind: 'azure' as const, env };
  return startWizard({
    target,
    cwd: context.io.cwd,
    env,
    ...(flags.savePreset ? { savePresetTo: flags.savePreset } : {}),
    ...(flags.kubeContext ? { kubeContext: flags.kubeContext } : {}),
  });
}
