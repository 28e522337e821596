/**
 * `--preset A --save-preset B`: B gets the settings this run really uses, the validated preset
 * with the flags folded in (--kube-context), so running B later does the same thing without
 * the flags. Paths (the .env files, Feathr's pipeline files) were resolved against A's folder;
 * they are written relative to B's folder, so B works from any working directory too.
 * A preset never holds a secret value, and neither does the validated config.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Config, ConfigInput } from '../config/schema.js';
import { savePresetFile } from '../ui/save-preset.js';

export async function saveEffectivePreset(config: Config, path: string, cwd: string): Promise<string> {
  const folder = dirname(resolve(cwd, path));
  const near = (file: string) => {
    if (!isAbsolute(file)) return file;
    const rel = relative(folder, file);
    // Another drive (Windows) has no relative path: keep it absolute.
    return isAbsolute(rel) ? file : rel.startsWith('..') ? rel : `./${rel}`;
  };
  const sources = config.secrets.sources.map((s) => (s.envFile !== undefined ? { ...s, envFile: near(s.envFile) } : s));
  const feathr = { ...config.feathr };
  for (const key of ['pipelineConf', 'lookupJson'] as const) {
    const file = feathr[key];
    if (file !== undefined) feathr[key] = near(file);
  }
  const effective = { ...config, secrets: { ...config.secrets, sources }, feathr } as ConfigInput;
  return savePresetFile(effective, path, cwd);
}
