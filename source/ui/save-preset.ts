/**
 * Writes the answers as a preset: the same ConfigInput the run validated, as YAML with the
 * schema comment editors use. It can't hold a secret value: the answers only name sources.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { UserError } from '../engine/errors.js';
import type { ConfigInput } from '../config/schema.js';

export async function savePresetFile(input: ConfigInput, path: string, cwd: string): Promise<string> {
  const text = `# Saved by feathr-kv-setup. Re-run with: feathr-kv-setup --preset ${path} --yes\n${stringify(input)}`;
  try {
    await writeFile(resolve(cwd, path), text, { encoding: 'utf8', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UserError(`Can't write ${path} (${code}).`, 'Choose a path in a folder you can write to.');
  }
  return path;
}
