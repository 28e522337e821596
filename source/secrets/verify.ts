/**
 * Verification after writing. Over the data plane: read each written secret
 * back and compare byte for byte. Where the operator can't reach the data plane (private vault), the
 * comparison happens in the cluster: the mount probe computes a sha256 per object in the pod,
 * and we compare it with one computed here. Digests only travel pod → CLI, live in memory for
 * the comparison and are never stored, printed or put in an error.
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { KubePort, ProbeSpec } from '../kube/port.js';
import type { DataPlane } from './data-plane.js';
import type { VaultPlane } from './planes.js';
import { nameKey, type SecretEntry } from './secret-entry.js';
import { withRetries, type RetryOptions } from './writer.js';

export interface VerifyReport {
  method: 'data-plane read-back' | 'management-plane version' | 'in-cluster digest';
  checked: number;
  /** Env names whose value differs from the source. */
  mismatched: string[];
  /** Env names absent from the vault (or the mount). */
  missing: string[];
}

export function verifyFailed(report: VerifyReport): boolean {
  return report.mismatched.length > 0 || report.missing.length > 0;
}

/**
 * Read-back that runs while writes are still going: each secret is read as soon as its write
 * returns, so verification fills the time the writer spends waiting for the throttle window
 * (reads count against a different, larger limit). `alreadyEqual` counts secrets the diff
 * just read and found byte-equal in this run.
 */
export function pipelinedReadBack(
  plane: DataPlane,
  options: RetryOptions & { concurrency: number },
  alreadyEqual: number,
) {
  const report: VerifyReport = { method: 'data-plane read-back', checked: alreadyEqual, mismatched: [], missing: [] };
  const limit = pLimit(options.concurrency);
  const pending: Promise<void>[] = [];
  return {
    check(entry: SecretEntry): void {
      pending.push(
        limit(async () => {
          const value = await withRetries(
            `Reading back ${entry.vaultName}`,
            () => plane.readValue(entry.vaultName, options.signal),
            options,
          );
          report.checked += 1;
          if (value === undefined) report.missing.push(entry.env);
          else if (value !== entry.value) report.mismatched.push(entry.env);
        }),
      );
    },
    async finish(): Promise<VerifyReport> {
      await Promise.all(pending);
      return sorted(report);
    },
  };
}

/**
 * Without the data plane: each secret's current version must be the one this run wrote (or,
 * for unchanged ones, the one the diff saw). Proves the writes landed and nothing replaced
 * them; the value itself is proven in the cluster by verifyInCluster.
 */
export async function verifyVersions(
  plane: VaultPlane,
  expected: readonly { entry: SecretEntry; version: string | undefined }[],
  options: RetryOptions & { concurrency: number },
): Promise<VerifyReport> {
  const report: VerifyReport = { method: 'management-plane version', checked: 0, mismatched: [], missing: [] };
  // One listing, not a read per secret: ARM's read bucket (250, then 25 a second) would throttle hundreds of GETs.
  const observed = await plane.observe(
    expected.map(({ entry }) => entry.vaultName),
    options,
  );
  for (const { entry, version } of expected) {
    const current = observed.existing.get(nameKey(entry.vaultName))?.version;
    report.checked += 1;
    if (current === undefined) report.missing.push(entry.env);
    else if (version !== undefined && current !== version) report.mismatched.push(entry.env);
  }
  return sorted(report);
}

/** Mounts the SecretProviderClass in a probe pod and compares per-object digests with local ones. */
export async function verifyInCluster(
  kube: Pick<KubePort, 'runProbe'>,
  spec: ProbeSpec,
  entries: readonly SecretEntry[],
): Promise<VerifyReport & { mountError?: string }> {
  const result = await kube.runProbe({ ...spec, expectedObjects: entries.map((e) => e.env) });
  const report: VerifyReport & { mountError?: string } = {
    method: 'in-cluster digest',
    checked: 0,
    mismatched: [],
    missing: [],
  };
  if (!result.mount || !result.mount.ok) {
    report.mountError = result.mount?.error ?? 'the probe did not mount the SecretProviderClass';
    report.missing = entries.map((e) => e.env);
    return sorted(report);
  }
  const byAlias = new Map(result.mount.objects.map((o) => [o.alias, o]));
  for (const entry of entries) {
    const object = byAlias.get(entry.env);
    report.checked += 1;
    if (!object || object.state !== 'mounted' || !object.sha256) report.missing.push(entry.env);
    else if (object.sha256.toLowerCase() !== sha256Hex(entry.value)) report.mismatched.push(entry.env);
  }
  return sorted(report);
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function sorted<T extends VerifyReport>(report: T): T {
  report.mismatched.sort();
  report.missing.sort();
  return report;
}
