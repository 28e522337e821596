/** presets/schema.json, generated from the same zod schema the code validates with. */
import * as z from 'zod';
import { configSchema } from './schema.js';

function presetJsonSchema(): Record<string, unknown> {
  // io 'input': a key with a default is optional in a preset file.
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/feathr-ai/feathr-kv-setup/presets/schema.json',
    title: 'feathr-kv-setup preset',
    description: 'A feathr-kv-setup preset. Never put a secret value in a preset, only where to read one.',
  };
}

export function presetJsonSchemaText(): string {
  return `${JSON.stringify(presetJsonSchema(), null, 2)}\n`;
}
