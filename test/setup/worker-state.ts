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

// kubectl, and helm (which links kubectl's commands), load kubectl's message catalogue for the
// message locale at every start, whatever the command. For English, the default, that means
// zipping the whole catalogue in memory and parsing it back: about a third of a short call's CPU
// (kubectl 29 → 19 ms, helm 26 → 16 ms on 2 cores), and the tests start thousands of them. The
// French catalogue holds seven help strings of `kubectl config` and `kubectl annotate`, none of
// which the tool runs or reads, so the tests' kubectl and helm get it: same binaries, same
// requests, same output. Set here, in the running worker, not through vitest's `env` (given to
// the worker at its start): Node takes its own locale from these variables when it starts, so
// the workers keep theirs (a CLI child the tests start takes French for Intl, and the tool
// formats nothing by locale). LC_ALL would override LC_MESSAGES.
delete process.env.LC_ALL;
process.env.LC_MESSAGES = 'fr_FR.UTF-8';

const root = process.env.FEATHR_KV_SETUP_TEST_STATE_ROOT;
if (root) {
  const own = join(root, `worker-${process.env.VITEST_POOL_ID ?? process.pid}`);
  mkdirSync(own, { recursive: true, mode: 0o700 });
  process.env.FEATHR_KV_SETUP_STATE_DIR = own;
}
