import { describe, expect, it } from 'vitest';
import { renderCheckTable, summaryLine, type CheckRow } from '../../source/checks/render-table.js';

const rows: CheckRow[] = [
  { category: 'tools', description: 'kubectl is installed', status: 'pass', severity: 'fatal', message: 'v1.32.3' },
  { category: 'cluster', description: 'context feathr-aks is reachable', status: 'pass', severity: 'fatal' },
  {
    category: 'tools',
    description: 'helm 3.8 or newer is installed',
    status: 'warn',
    severity: 'warning',
    message: "helm 3.7.0 doesn't support OCI",
    hint: 'upgrade helm',
  },
  {
    category: 'cluster',
    description: 'CSI driver is ready',
    status: 'fail',
    severity: 'fatal',
    message: "the driver isn't registered",
    hint: 'az aks enable-addons --addons azure-keyvault-secrets-provider',
  },
  {
    category: 'mount',
    description: 'secrets mount',
    status: 'skip',
    severity: 'fatal',
    message: 'skipped: the cluster is unreachable',
    hint: 'never shown',
  },
];

describe('renderCheckTable', () => {
  it('groups by category in first-seen order, marks by shape and puts the fix under a failure', () => {
    expect(renderCheckTable(rows)).toBe(
      [
        'tools',
        '-----',
        '√ kubectl is installed: v1.32.3',
        "‼ helm 3.8 or newer is installed: helm 3.7.0 doesn't support OCI",
        '    fix: upgrade helm',
        '',
        'cluster',
        '-------',
        '√ context feathr-aks is reachable',
        "× CSI driver is ready: the driver isn't registered",
        '    fix: az aks enable-addons --addons azure-keyvault-secrets-provider',
        '',
        'mount',
        '-----',
        '- secrets mount: skipped: the cluster is unreachable',
        '',
        '× Checks failed: 2 passed, 1 warning, 1 fatal failure, 1 skipped.',
      ].join('\n'),
    );
  });

  it('says so when nothing ran, and shows √ when all pass', () => {
    expect(renderCheckTable([])).toBe('No checks ran.');
    expect(summaryLine([rows[0]!, rows[1]!])).toBe(
      '√ Checks passed: 2 passed, 0 warnings, 0 fatal failures, 0 skipped.',
    );
  });
});
