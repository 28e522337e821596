/**
 * Values typed into the wizard's masked prompts. They stay in the App's memory and go to the
 * migration as `prompted` values (collect.ts puts them after every source); a preset can't
 * hold them, so a saved preset names them as environment variables the user must export.
 */
import type { SourcedValue } from '../secrets/secret-entry.js';
import type { SecretSourceInput } from '../discovery/port.js';

/** The source label typed values carry in messages, tables and conflicts. */
export const TYPED_SOURCE = 'typed in the wizard';

function typedValue(env: string, value: string): SourcedValue {
  return { env, source: TYPED_SOURCE, value };
}

/** The typed values with `env` set to `value` (or removed when `value` is undefined). */
export function withTyped(typed: readonly SourcedValue[], env: string, value: string | undefined): SourcedValue[] {
  const rest = typed.filter((t) => t.env !== env);
  return value === undefined ? rest : [...rest, typedValue(env, value)];
}

/**
 * The sources a preset lists when some values were typed: those names become one `env`
 * source at the end (where the typed values came in the run), so the preset stays complete.
 */
export function sourcesForPreset(
  sources: readonly SecretSourceInput[],
  typedNames: readonly string[],
): SecretSourceInput[] {
  return typedNames.length > 0 ? [...sources, { env: [...typedNames] }] : [...sources];
}

/** The comment a saved preset carries about typed names, and the line the save screen shows. */
export function typedNote(typedNames: readonly string[]): string | undefined {
  if (typedNames.length === 0) return undefined;
  const list = typedNames.join(', ');
  const them = typedNames.length === 1 ? 'it' : 'them';
  return `${list} ${typedNames.length === 1 ? 'was' : 'were'} typed in the wizard, and a preset never holds a value: it lists ${them} under secrets.sources env, so export ${them} before running the preset.`;
}
