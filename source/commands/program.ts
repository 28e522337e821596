/**
 * The command-line contract, parsed by commander. Only commander and these small
 * modules load up front; each action imports its command (and with it zod, yaml, dotenv, the
 * sandbox...) on demand, so `--help` and `--version` stay fast.
 */
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { UserError } from '../kernel/errors.js';
import type { CommandContext } from './command-context.js';
import { addCommonOptions, addSavePresetOption, readCommonFlags } from './common-flags.js';
import { nearest } from '../config/nearest.js';

const AFTER_HELP = `
Exit codes:
  0    success
  1    failure, including an invalid preset or bad input (the field and the fix are named)
  2    plan only: changes are pending
  130  interrupted (Ctrl-C); a re-run completes the work

Examples:
  feathr-kv-setup secrets map --dotenv feathr.env
  feathr-kv-setup plan --preset presets/aks-private-endpoint.yaml --sandbox
  feathr-kv-setup --preset presets/other-cloud-allowlist.yaml --yes --output json
  feathr-kv-setup sandbox serve --port 8443

Environment: NO_COLOR turns colour off; --output json never prompts and prints one JSON event per line.`;

export function buildProgram(context: CommandContext, setExitCode: (code: number) => void): Command {
  const { io } = context;
  const program = new Command('feathr-kv-setup')
    .description(
      'Install Feathr on Kubernetes with its secrets in Azure Key Vault (Secrets Store CSI driver + Azure provider).\nWith no command: the guided session, or preset mode with --preset FILE.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors are reported once, by the top-level handler, in the chosen output format.
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true)
    // Root flags only before a command name, so `plan --preset` reaches plan's own --preset.
    .enablePositionalOptions()
    .addHelpText('after', AFTER_HELP);

  addSavePresetOption(addCommonOptions(program))
    .option('--preset <file>', 'preset mode: run with the settings in FILE (YAML or JSON), no questions')
    .option('-y, --yes', 'approve the plan without asking (needed without a terminal)', false)
    .action(async (_options, command: Command) => {
      if (command.args.length > 0) throw unknownCommand(command.args[0]!, program);
      const flags = readCommonFlags(command);
      if (flags.preset === undefined) {
        const { runGuided } = await import('./run-setup.js');
        setExitCode(await runGuided(flags, context));
        return;
      }
      const [{ runPreset }, { loadCommandConfig }] = await Promise.all([
        import('./run-setup.js'),
        import('./load-config.js'),
      ]);
      const config = await loadCommandConfig(flags, context);
      if (flags.savePreset !== undefined) {
        const { saveEffectivePreset } = await import('./save-effective-preset.js');
        const saved = await saveEffectivePreset(config, flags.savePreset, context.io.cwd);
        context.reporter.emit({
          type: 'log',
          level: 'info',
          message: `Preset saved to ${saved} (the settings this run uses, flags included; no secret values).`,
        });
      }
      setExitCode(await runPreset({ ...context, config, flags }));
    });

  addCommonOptions(program.command('plan'))
    .description(`print the plan and change nothing; exit 0 = nothing to do, 2 = changes pending, 1 = error`)
    .requiredOption('--preset <file>', 'the preset to plan')
    .action(async (_options, command: Command) => {
      const flags = readCommonFlags(command);
      const [{ plan }, { loadCommandConfig }] = await Promise.all([import('./plan.js'), import('./load-config.js')]);
      const config = await loadCommandConfig(flags, context);
      setExitCode(await plan({ ...context, config, flags }));
    });

  addCommonOptions(program.command('check'))
    .description(`preflight and in-cluster checks against what exists; exit 0 = all pass, 1 = a fatal check failed`)
    .option('--preset <file>', 'the preset describing the install to check')
    .action(async (_options, command: Command) => {
      const flags = readCommonFlags(command);
      const { check } = await import('./check.js');
      if (flags.preset === undefined) {
        // Checks run against a described install; guessing one from the subscription could
        // report a healthy vault that isn't the one Feathr uses.
        throw new UserError(
          "check needs the install's settings, and no --preset was given.",
          'Pass --preset FILE: the preset you installed with, or the answers the guided session saved with --save-preset.',
        );
      }
      const { loadCommandConfig } = await import('./load-config.js');
      const config = await loadCommandConfig(flags, context);
      setExitCode(await check({ ...context, config, flags }));
    });

  const secrets = program.command('secrets').description('work with secret names');
  addCommonOptions(secrets.command('map'))
    .description(
      'show the Key Vault name each variable gets (CONN_STR → CONN-STR); exit 1 on an invalid name or a collision',
    )
    .option('--dotenv <file>', 'a .env file to read names from (values are read, never shown)')
    // Node reads an --env-file option anywhere on its own command line and, when the file is
    // missing, stops with exit 9 before this program runs; --dotenv is the form Node leaves alone.
    .option('--env-file <file>', 'the same as --dotenv (Node itself stops on a missing file given this way)')
    .option('--rename <name=vault-name>', 'explicit vault name for one variable; repeatable', collect, [])
    .option('--env <name>', 'a variable of the current environment; repeatable', collect, [])
    .action(async (options: { dotenv?: string; envFile?: string; rename: string[]; env: string[] }) => {
      if (options.dotenv !== undefined && options.envFile !== undefined && options.dotenv !== options.envFile) {
        throw new UserError(
          'secrets map reads one .env file, and both --dotenv and --env-file were given.',
          'Keep one of them.',
        );
      }
      const { secretsMap } = await import('./secrets-map.js');
      setExitCode(
        await secretsMap({
          ...context,
          envFile: options.dotenv ?? options.envFile,
          renames: options.rename,
          envNames: options.env,
        }),
      );
    });

  const sandbox = program.command('sandbox').description('the built-in simulation of Azure and the clusters');
  sandbox
    .command('serve')
    .description(
      'serve the sandbox on 127.0.0.1; prints one JSON line {url, caFile, token, ...} when ready, serves until SIGTERM/SIGINT',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', '0')
    .option('--world <file>', 'start from this world instead of the default one (README.md § Sandbox)')
    .option('--faults <spec>', 'inject failures, e.g. throttle the data plane')
    .option('--latency <spec>', 'add latency to responses')
    .action(async (options: { port: string; world?: string; faults?: string; latency?: string }) => {
      const { sandboxServe } = await import('./sandbox-serve.js');
      setExitCode(await sandboxServe({ ...context, ...options }));
    });

  addCommonOptions(program.command('uninstall'))
    .description('remove what the tool created; never the vault or its secrets unless --delete-vault')
    .requiredOption('--preset <file>', 'the preset the install was made from')
    .option('-y, --yes', 'approve the removals without asking (needed without a terminal)', false)
    .option(
      '--delete-vault',
      'also delete the vault (soft delete); you type its name to confirm, so it needs a terminal',
      false,
    )
    .option(
      '--purge',
      'also purge the deleted vault for good (implies --delete-vault; typed name; refused under purge protection)',
      false,
    )
    .action(async (options: { deleteVault: boolean; purge: boolean }, command: Command) => {
      const flags = readCommonFlags(command);
      const [{ uninstall }, { loadCommandConfig }] = await Promise.all([
        import('./uninstall.js'),
        import('./load-config.js'),
      ]);
      const config = await loadCommandConfig(flags, context);
      setExitCode(
        await uninstall({
          ...context,
          config,
          flags,
          deleteVault: options.deleteVault || options.purge,
          purge: options.purge,
        }),
      );
    });

  // Set last, so no subcommand inherits it: the root takes no words, and one that isn't a
  // command is reported by unknownCommand with the list, not as "too many arguments".
  program.allowExcessArguments(true);
  return program;
}

function unknownCommand(word: string, program: Command): UserError {
  const names = program.commands.map((c) => c.name());
  const list = program.commands
    .map((c) => (c.commands.length > 0 ? c.commands.map((sub) => `${c.name()} ${sub.name()}`).join(', ') : c.name()))
    .join(', ');
  // The install itself has no command name, so a word like it points there rather than at uninstall.
  const installWords = ['install', 'setup', 'apply', 'run'];
  const near = nearest(word, [...names, ...installWords]);
  const hint =
    near && installWords.includes(near)
      ? `The install is the command with no name: feathr-kv-setup (guided) or feathr-kv-setup --preset FILE --yes.`
      : near
        ? `Did you mean ${near}? (feathr-kv-setup ${near} --help)`
        : 'Run feathr-kv-setup --help to see the commands and flags.';
  return new UserError(`${JSON.stringify(word)} isn't a command. The commands are: ${list}.`, hint);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
