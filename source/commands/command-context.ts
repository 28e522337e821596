/** What every command function gets besides its own input: no flags bag, no process globals. */
import type { CliIo } from '../output/io.js';
import type { Reporter } from '../output/reporter.js';
import type { Config } from '../config/schema.js';
import type { CommonFlags } from './common-flags.js';

export interface CommandContext {
  io: CliIo;
  reporter: Reporter;
}

/** The input of a command that runs on a validated configuration. */
export interface ConfiguredCommandInput extends CommandContext {
  config: Config;
  flags: CommonFlags;
}
