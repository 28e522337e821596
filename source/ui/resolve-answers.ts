/**
 * The answers through the preset validation (schema, cross-field rules, secret-name rules).
 * Its own module because it brings zod: the App imports it once the answers are complete,
 * so the first frame doesn't wait for the schema to load.
 */
import type { Config, ConfigInput } from '../config/schema.js';
import { validateConfig } from '../config/validate.js';
import { formatIssue } from '../config/issues.js';
import { toConfigInput } from './answers.js';
import type { Answers } from '../discovery/port.js';

export type Resolved = { ok: true; config: Config; input: ConfigInput } | { ok: false; problems: string[] };

export function resolveAnswers(a: Answers): Resolved {
  const input = toConfigInput(a);
  const checked = validateConfig(input);
  if (checked.ok) return { ok: true, config: checked.config, input };
  return { ok: false, problems: checked.issues.map(formatIssue) };
}
