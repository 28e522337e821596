import { setupTestTools } from '../../scripts/setup-test-tools.js';

/** vitest globalSetup: real helm 3 / helm 4 binaries for the chart tests (toolchain §7). */
export default function setup(): void {
  setupTestTools();
}
