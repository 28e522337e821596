#!/usr/bin/env node
/**
 * The `feathr-kv-setup` bin. Everything lives in commands/main.ts; this file only connects it
 * to the process. No SIGINT handler here on purpose: Node's default ends the process as the
 * shell's 130, and a command that must clean up on Ctrl-C (sandbox serve, later the engine)
 * installs its own handler, which one here calling process.exit would cut short.
 */
import { main } from './commands/main.js';

process.exitCode = await main(process.argv.slice(2));
