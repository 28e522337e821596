/**
 * Loads a `--world FILE` (YAML or JSON, the shape in spec.ts) and reports every problem with
 * its field path, so a user can fix the file in one go.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { SandboxInputError } from '../input-error.js';
import { worldSpecSchema, type WorldSpec } from './spec.js';

export async function loadWorldFile(path: string): Promise<WorldSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SandboxInputError(
      `Can't read world file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      'Check the path given to --world.',
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text); // YAML is a superset of JSON, so one parser serves both.
  } catch (error) {
    throw new SandboxInputError(
      `World file ${path} isn't valid YAML or JSON: ${(error as Error).message}`,
      'Fix the syntax; see docs/sandbox-world.md for the format.',
    );
  }
  return parseWorld(raw, path);
}

/** Validates a parsed world document; `source` names it in the error (a file path). */
export function parseWorld(raw: unknown, source: string): WorldSpec {
  const result = worldSpecSchema.safeParse(raw);
  if (!result.success) {
    const details = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new SandboxInputError(
      `World file ${source} doesn't match the world format.`,
      'Fix the fields listed; see docs/sandbox-world.md for the format.',
      details,
    );
  }
  return result.data;
}
