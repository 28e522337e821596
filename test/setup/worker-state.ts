import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * vitest setupFiles: test files run side by side in several workers, so each worker keeps the
 * migration's local record in its own folder under the run's throwaway state dir. Two workers
 * creating the record file at once would each pick a key, and the later one would drop the
 * other's entries. Set again before every file, so a file that pointed the variable elsewhere
 * doesn't leak that into the next file of the same worker.
 */
const root = process.env.FEATHR_KV_SETUP_TEST_STATE_ROOT;
if (root) {
  const own = join(root, `worker-${process.env.VITEST_POOL_ID ?? process.pid}`);
  mkdirSync(own, { recursive: true, mode: 0o700 });
  process.env.FEATHR_KV_SETUP_STATE_DIR = own;
}
