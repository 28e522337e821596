/**
 * Helm 3.8+ and Helm 4 are supported. 3.8 is the floor because older releases lack OCI
 * support by default and report `pending-*` states less reliably; Helm 4 renamed
 * `--atomic` to `--rollback-on-failure`.
 */
import { UserError } from '../kernel/errors.js';

export interface HelmVersion {
  raw: string;
  major: number;
  minor: number;
  patch: number;
}

export function parseHelmVersion(output: string): HelmVersion {
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(output.trim());
  if (!match) {
    throw new UserError(
      `Can't tell which helm this is: \`helm version\` printed "${output.trim().slice(0, 80)}".`,
      'Install Helm 3.8 or later: https://helm.sh/docs/intro/install/',
    );
  }
  const [major, minor, patch] = match.slice(1, 4).map(Number) as [number, number, number];
  return { raw: `v${major}.${minor}.${patch}`, major, minor, patch };
}

export function assertSupportedHelm(version: HelmVersion): HelmVersion {
  if (version.major < 3 || (version.major === 3 && version.minor < 8)) {
    throw new UserError(
      `Helm ${version.raw} is too old: feathr-kv-setup needs Helm 3.8 or later (Helm 4 works too).`,
      'Upgrade helm: https://helm.sh/docs/intro/install/',
    );
  }
  return version;
}

/** The flag that rolls a failed upgrade back. */
export function rollbackOnFailureFlag(version: HelmVersion): string {
  return version.major >= 4 ? '--rollback-on-failure' : '--atomic';
}
