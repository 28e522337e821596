/**
 * Canary secret values and the forms a leak could take: the value itself, base64 (Kubernetes
 * Secret data, JSON bodies), base64url, hex, URL encoding, and a plain SHA-256 (a hash a vault
 * Reader could compare against is a leak too).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function makeCanary(label: string): string {
  // Letters and digits only, so every encoding of it is distinctive and greppable.
  return `CANARY${label.replace(/[^A-Za-z0-9]/g, '')}x${randomBytes(9).toString('hex')}`;
}

function forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [
    value,
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    createHash('sha256').update(value).digest('hex'),
    createHash('sha256').update(value).digest('base64').replace(/=+$/, ''),
  ];
}

/** Which canaries appear (in any form) in `text`, as "name (form)" strings for a clear failure. */
export function findCanaries(text: string, canaries: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(canaries)) {
    forms(value).forEach((form, i) => {
      if (text.includes(form))
        found.push(`${name} (${['raw', 'base64', 'base64url', 'hex', 'sha256-hex', 'sha256-base64'][i]})`);
    });
  }
  return found;
}

/** Every regular file under `root` with its text, for scanning what a run left behind. */
export function filesUnder(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) out.push({ path, text: readFileSync(path).toString('latin1') });
    }
  };
  walk(root);
  return out;
}
