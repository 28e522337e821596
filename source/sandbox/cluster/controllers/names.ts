/**
 * Generated names as Kubernetes makes them: a pod-template hash (10 characters of the
 * "safe" alphabet, no vowels) for ReplicaSets, and 5-character suffixes for pods.
 */
import { createHash } from 'node:crypto';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function safe(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE[digest[i]! % SAFE.length];
  return out;
}

export const templateHash = (template: unknown) => safe(JSON.stringify(template), 10);
export const podSuffix = (owner: string, index: number) => safe(`${owner}/${index}`, 5);
