/** The preset behind a command, validated in full before the command's function runs. */
import { UserError } from '../kernel/errors.js';
import { loadPreset } from '../config/load-preset.js';
import type { Config } from '../config/schema.js';
import type { CommonFlags } from './common-flags.js';
import type { CommandContext } from './command-context.js';

export async function loadCommandConfig(flags: CommonFlags, context: CommandContext): Promise<Config> {
  if (flags.preset === undefined)
    throw new UserError(
      'This command needs --preset FILE.',
      'Pass a preset, e.g. --preset presets/aks-private-endpoint.yaml.',
    );
  return loadPreset(flags.preset, { kubeContext: flags.kubeContext }, context.io.cwd);
}
