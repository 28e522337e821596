/**
 * The one resolver for every answer: `flag ?? preset ?? (yes ? default : prompt())`.
 * With no way to prompt (no TTY, or --output json) an answer without a default is missing,
 * and the caller lists every missing one at once instead of failing on the first.
 */
export interface ResolveContext {
  yes: boolean;
  canPrompt: boolean;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; missing: string };

export async function resolveAnswer<T>(
  name: string,
  sources: { flag?: T; preset?: T; fallback?: T; prompt?: () => Promise<T> },
  context: ResolveContext,
): Promise<Resolved<T>> {
  const given = sources.flag ?? sources.preset;
  if (given !== undefined) return { ok: true, value: given };
  // Without a terminal a default is taken as if --yes were given: only answers with no
  // default count as missing, matching missing-inputs.ts.
  const useDefault = context.yes || !context.canPrompt;
  if (useDefault && sources.fallback !== undefined) return { ok: true, value: sources.fallback };
  if (!useDefault && sources.prompt) return { ok: true, value: await sources.prompt() };
  return { ok: false, missing: name };
}

/** Prompts are allowed only on a terminal and never under --output json. */
export function canPrompt(stdinIsTTY: boolean, output: 'text' | 'json'): boolean {
  return stdinIsTTY && output === 'text';
}
