/**
 * The flags every command takes and the one place they're read, so commands get a
 * typed value instead of commander's option bag.
 */
import { Option, type Command } from 'commander';
import { UserError } from '../kernel/errors.js';
import type { OutputMode } from '../output/io.js';

export interface CommonFlags {
  preset?: string;
  yes: boolean;
  dryRun: boolean;
  output: OutputMode;
  savePreset?: string;
  logFile?: string;
  kubeContext?: string;
  sandbox: boolean;
  sandboxUrl?: string;
  sandboxCa?: string;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('--dry-run', 'plan and check only; no writes at all', false)
    .addOption(
      new Option('--output <format>', 'text for people, json for NDJSON events (no colour, no prompts)')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--log-file <file>', 'also write the run as plain text to this file (mode 0600; no secret values)')
    .option('--kube-context <name>', 'kube context to use; overrides cluster.kubeContext in the preset')
    .addOption(
      new Option('--sandbox', 'run against the built-in simulation of Azure and the clusters')
        .default(false)
        .conflicts(['sandboxUrl']),
    )
    .option('--sandbox-url <url>', 'use a sandbox already serving at this URL (see `sandbox serve`)')
    .option('--sandbox-ca <file>', "the sandbox's CA certificate (the caFile `sandbox serve` prints)");
}

/**
 * --save-preset belongs to the root only: the guided session saves its answers, preset mode the
 * effective preset (flags folded in). plan, check and uninstall take a preset, so they don't offer it.
 */
export function addSavePresetOption(command: Command): Command {
  return command.option(
    '--save-preset <file>',
    'write the settings as a preset before the run: the answers, or with --preset the effective preset (flags folded in); never secret values',
  );
}

export function readCommonFlags(command: Command): CommonFlags {
  // commander's optsWithGlobals lets the root's defaults (e.g. --sandbox false) override a
  // subcommand's own flags; merge root first and the command itself last instead.
  const chain: Command[] = [];
  for (let c: Command | null = command; c; c = c.parent) chain.unshift(c);
  // A default never overrides a value the user gave at another level.
  const o: Record<string, unknown> = {};
  for (const c of chain) {
    for (const [key, value] of Object.entries(c.opts())) {
      if (c.getOptionValueSource(key) !== 'default' || o[key] === undefined) o[key] = value;
    }
  }
  const flags: CommonFlags = {
    preset: str(o.preset),
    yes: o.yes === true,
    dryRun: o.dryRun === true,
    output: o.output === 'json' ? 'json' : 'text',
    savePreset: str(o.savePreset),
    logFile: str(o.logFile),
    kubeContext: str(o.kubeContext),
    sandbox: o.sandbox === true,
    sandboxUrl: str(o.sandboxUrl),
    sandboxCa: str(o.sandboxCa),
  };
  if ((flags.sandboxUrl === undefined) !== (flags.sandboxCa === undefined)) {
    throw new UserError(
      '--sandbox-url and --sandbox-ca go together.',
      'Pass both, with the url and caFile that `feathr-kv-setup sandbox serve` printed.',
    );
  }
  return flags;
}

/**
 * The output mode and log file, read from argv before commander parses it, so even a usage
 * error is reported in the requested format. Commander still validates both flags.
 */
export function preScan(argv: readonly string[]): { output: OutputMode; logFile?: string } {
  const value = (name: string): string | undefined => {
    let found: string | undefined;
    argv.forEach((arg, i) => {
      if (arg === name) found = argv[i + 1];
      else if (arg.startsWith(`${name}=`)) found = arg.slice(name.length + 1);
    });
    return found;
  };
  return { output: value('--output') === 'json' ? 'json' : 'text', logFile: value('--log-file') };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
