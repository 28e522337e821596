/**
 * The import boundaries of eslint.config.js, judged by ESLint itself on small files placed in
 * the layers: each forbidden arrow is reported, and the allowed ones are not.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['source/kernel/x.ts', "import '../ui/answers.js';", 'The kernel imports nothing of ours'],
    [
      'source/kernel/x.ts',
      "export const s = () => import('../sandbox/start.js');",
      'The kernel imports nothing of ours',
    ],
    [
      'source/sandbox/arm/x.ts',
      "import { UserError } from '../../kernel/errors.js';",
      'The sandbox imports nothing outside itself',
    ],
    ['source/steps/x.ts', "import { startSandbox } from '../sandbox/start.js';", 'Only source/connect'],
    [
      'source/use-cases/setup/x.ts',
      "export const k = () => import('../../kube/sandbox-kube.js');",
      'Only source/connect',
    ],
    ['source/ui/x.ts', "import type { AzureClients } from '../azure/clients.js';", 'The UI renders state'],
    ['source/ui/screens/x.tsx', "import type { KubePort } from '../../kube/port.js';", 'The UI renders state'],
    ['source/ui/x.ts', "import { execa } from 'execa';", 'The UI renders state'],
  ])('%s: %s is refused', async (file, code, rule) => {
    const errors = await boundaryErrors(file, code);
    expect(
      errors.some((e) => e.startsWith(rule)),
      errors.join('\n'),
    ).toBe(true);
  });

  it.each([
    ['source/kernel/x.ts', "import { makePlan } from './plan.js';"],
    ['source/sandbox/arm/x.ts', "import { json } from '../http.js';"],
    ['source/connect/x.ts', "import { startSandbox } from '../sandbox/start.js';"],
    ['source/commands/sandbox-serve.ts', "export const s = () => import('../sandbox/serve.js');"],
    ['source/ui/x.ts', "import type { WizardPort } from '../discovery/port.js';"],
    ['test/sandbox/x.test.ts', "import { startSandbox } from '../../source/sandbox/start.js';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
