import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupTestTools } from '../../scripts/setup-test-tools.js';

/**
 * vitest globalSetup: real helm 3 / helm 4 binaries for the chart tests, and a
 * throwaway state dir so no test writes the migration's local record under the real home
 * directory (workers are forked after this runs, so they inherit the variable).
 */
export default function setup(): () => void {
  setupTestTools();
  const stateDir = mkdtempSync(join(tmpdir(), 'feathr-kv-setup-test-state-'));
  process.env.FEATHR_KV_SETUP_STATE_DIR = stateDir;
  // Each worker takes its own folder under this one (worker-state.ts).
  process.env.FEATHR_KV_SETUP_TEST_STATE_ROOT = stateDir;
  return () => rmSync(stateDir, { recursive: true, force: true });
}
