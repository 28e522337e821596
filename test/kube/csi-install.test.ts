/** The exact helm command the tool prints to turn secret sync on in a driver release it found. */
import { describe, expect, it } from 'vitest';
import { splitChart, syncFixCommand } from '../../source/kube/csi-install.js';

describe('syncFixCommand', () => {
  it("pins the release's own chart version, and pins none when helm list showed none", () => {
    expect(splitChart('secrets-store-csi-driver-1.5.6')).toEqual({
      name: 'secrets-store-csi-driver',
      version: '1.5.6',
    });
    const release = { name: 'csi', namespace: 'kube-system' };
    expect(syncFixCommand({ ...release, chart: 'secrets-store-csi-driver-1.5.6' }, 'eks', 'REPO')).toBe(
      'helm upgrade csi secrets-store-csi-driver --repo https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts --version 1.5.6 -n kube-system --kube-context eks --reuse-values --set syncSecret.enabled=true',
    );
    expect(syncFixCommand({ ...release, chart: 'csi-secrets-store-provider-azure' }, 'eks', 'REPO')).toBe(
      'helm upgrade csi csi-secrets-store-provider-azure --repo REPO -n kube-system --kube-context eks --reuse-values --set secrets-store-csi-driver.syncSecret.enabled=true',
    );
  });
});
