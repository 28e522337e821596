import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * vitest setupFiles, run before every test file. A worker runs many files in one process, so:
 *  - the environment goes back to what the worker started with: a file that set a variable
 *    (a secret for the CLI, a state folder) doesn't hand it to the next file;
 *  - each worker keeps the migration's local record in its own folder under the run's throwaway
 *    state dir: two workers creating the record file at once would each pick a key, and the
 *    later one would drop the other's entries.
 */
const holder = globalThis as { feathrTestEnv?: Record<string, string | undefined> };
if (!holder.feathrTestEnv) {
  holder.feathrTestEnv = { ...process.env };
} else {
  const start = holder.feathrTestEnv;
  // vitest's own variables (worker and pool ids) are set per file before this runs.
  for (const key of Object.keys(process.env)) if (!(key in start) && !key.startsWith('VITEST')) delete process.env[key];
  for (const [key, value] of Object.entries(start))
    if (!key.startsWith('VITEST') && value !== undefined) process.env[key] = value;
}

const root = process.env.FEATHR_KV_SETUP_TEST_STATE_ROOT;
if (root) {
  const own = join(root, `worker-${process.env.VITEST_POOL_ID ?? process.pid}`);
  mkdirSync(own, { recursive: true, mode: 0o700 });
  process.env.FEATHR_KV_SETUP_STATE_DIR = own;
}
