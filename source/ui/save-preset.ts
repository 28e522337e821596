/**
 * Writes the answers as a preset (loaded on first use, so yaml isn't in the first frame's way): the same ConfigInput the run validated, as YAML with the
 * schema comment editors use. It can't hold a secret value: the answers only name sources,
 * and names typed into masked prompts are listed as environment variables to export.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { UserError } from '../kernel/errors.js';
import type { ConfigInput } from '../config/schema.js';
import { sourcesForPreset, typedNote } from './typed-secrets.js';
import type { SecretSourceInput } from '../discovery/port.js';

export async function savePresetFile(
  input: ConfigInput,
  path: string,
  cwd: string,
  typedNames: readonly string[] = [],
): Promise<string> {
  const note = typedNote(typedNames);
  const preset: ConfigInput =
    typedNames.length > 0
      ? {
          ...input,
          secrets: {
            ...input.secrets,
            sources: sourcesForPreset((input.secrets?.sources ?? []) as SecretSourceInput[], typedNames),
          },
        }
      : input;
  const header = [
    `# Saved by feathr-kv-setup. Re-run with: feathr-kv-setup --preset ${path} --yes`,
    ...(note ? [`# ${note}`] : []),
  ].join('\n');
  const text = `${header}\n${stringify(preset)}`;
  try {
    await writeFile(resolve(cwd, path), text, { encoding: 'utf8', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UserError(`Can't write ${path} (${code}).`, 'Choose a path in a folder you can write to.');
  }
  return path;
}
