/**
 * Regenerates presets/schema.json from the zod schema (`npm run schema`).
 * test/config/json-schema.test.ts fails when the committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { presetJsonSchemaText } from '../source/config/json-schema.js';

const target = fileURLToPath(new URL('../presets/schema.json', import.meta.url));
await writeFile(target, presetJsonSchemaText());
console.log(`Schema written: ${target}`);
