/**
 * A small entry for running the sandbox without the CLI: `tsx source/sandbox/serve-main.ts
 * [--port N] [--world FILE] [--faults SPEC] [--latency SPEC] [--seed N]`. The CLI's
 * `sandbox serve` command calls the same serveSandbox().
 */
import { parseArgs } from 'node:util';
import { SandboxInputError } from './input-error.js';
import { serveSandbox } from './serve.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      world: { type: 'string' },
      faults: { type: 'string' },
      latency: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  await serveSandbox({
    port: values.port === undefined ? 0 : Number(values.port),
    worldFile: values.world,
    faults: values.faults,
    latency: values.latency,
    seed: values.seed === undefined ? undefined : Number(values.seed),
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof SandboxInputError ? error.message : String(error)}\n`);
    if (error instanceof SandboxInputError) for (const detail of error.details) process.stderr.write(`  ${detail}\n`);
    process.exitCode = 1;
  },
);
