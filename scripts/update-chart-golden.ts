/**
 * Rewrites test/chart/golden/<mode>.yaml and monitor.yaml from `helm template` with Helm 3 (the chart
 * tests check that Helm 4 renders the same). Run: npm run golden:chart
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupTestTools } from './setup-test-tools.js';
import {
  CHART_GOLDEN_DIR,
  CHART_VALUES_DIR,
  IDENTITY_MODES,
  MONITOR_GOLDEN,
  helmBinary,
  renderChart,
} from './chart-render.js';

setupTestTools();
for (const mode of IDENTITY_MODES) {
  const rendered = await renderChart(helmBinary('helm3'), join(CHART_VALUES_DIR, `${mode}.yaml`));
  writeFileSync(join(CHART_GOLDEN_DIR, `${mode}.yaml`), `${rendered}\n`);
  console.log(`golden updated: test/chart/golden/${mode}.yaml`);
}
const monitor = await renderChart(
  helmBinary('helm3'),
  join(CHART_VALUES_DIR, `${MONITOR_GOLDEN.name}.yaml`),
  MONITOR_GOLDEN.args,
);
writeFileSync(join(CHART_GOLDEN_DIR, `${MONITOR_GOLDEN.name}.yaml`), `${monitor}\n`);
console.log(`golden updated: test/chart/golden/${MONITOR_GOLDEN.name}.yaml`);
