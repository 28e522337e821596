/**
 * `sandbox serve`: the simulated Azure and clusters on loopback, for rehearsing presets in CI.
 * The sandbox is loaded only here (lazily), so no other command pays for it.
 */
import { UserError } from '../kernel/errors.js';
import type { CommandContext } from './command-context.js';

export interface SandboxServeInput extends CommandContext {
  port?: string;
  world?: string;
  faults?: string;
  latency?: string;
}

export async function sandboxServe(input: SandboxServeInput): Promise<number> {
  const port = input.port === undefined ? 0 : Number(input.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(
      `--port must be a port number from 0 to 65535 (got ${input.port}).`,
      'Use 0 (the default) to let the system pick a free port.',
    );
  }
  const [{ serveSandbox }, { SandboxInputError }] = await Promise.all([
    import('../sandbox/serve.js'),
    import('../sandbox/input-error.js'),
  ]);
  try {
    await serveSandbox({ port, worldFile: input.world, faults: input.faults, latency: input.latency });
  } catch (error) {
    // A bad world file or faults spec is the user's to fix: report it like any other input.
    if (error instanceof SandboxInputError) throw new UserError(error.message, error.hint, error.details);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError(
        `Port ${port} on 127.0.0.1 is already in use, so the sandbox can't listen there.`,
        'Stop what listens there, pick another --port, or pass --port 0 to let the system choose a free one.',
      );
    if (code === 'EACCES')
      throw new UserError(
        `Port ${port} on 127.0.0.1 needs privileges this process doesn't have.`,
        'Pick a port above 1023, or --port 0 for any free one.',
      );
    throw error;
  }
  return 0;
}
