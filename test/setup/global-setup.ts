import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { setupTestTools } from '../../scripts/setup-test-tools.js';
import { makeScratchRoot } from './scratch-root.js';
import { distinctSearchPath } from './search-path.js';

/**
 * vitest globalSetup: real helm 3 / helm 4 binaries for the chart tests, a scratch folder in
 * memory where the system allows (scratch-root.ts), and a throwaway state dir so no test writes
 * the migration's local record under the real home directory (workers are forked after this
 * runs, so they inherit the variables).
 */
export default function setup(): () => void {
  setupTestTools();
  const scratch = makeScratchRoot();
  if (scratch) process.env.TMPDIR = process.env.FEATHR_KV_SETUP_TEST_SCRATCH = scratch;
  const stateDir = mkdtempSync(join(tmpdir(), 'feathr-kv-setup-test-state-'));
  process.env.FEATHR_KV_SETUP_STATE_DIR = stateDir;
  // Each worker takes its own folder under this one (worker-state.ts).
  process.env.FEATHR_KV_SETUP_TEST_STATE_ROOT = stateDir;
  // Runs inside the tests (the CLI in process, its children) find one tested kubectl + helm
  // pair first on PATH: helm 3.17 + kubectl 1.32, or with FEATHR_TEST_TOOLS=helm4 the 4.1 + 1.34 set.
  const set = process.env.FEATHR_TEST_TOOLS === 'helm4' ? 'helm4' : 'helm3';
  process.env.PATH = distinctSearchPath(
    `${resolve(import.meta.dirname, '../../.tools', set)}${delimiter}${process.env.PATH ?? ''}`,
  );
  return () => rmSync(scratch ?? stateDir, { recursive: true, force: true });
}
