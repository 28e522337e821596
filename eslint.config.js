// ESLint for source, test and scripts: the recommended rules (not type-checked, so it runs in
// seconds) and the one-way arrows between our folders, which docs/architecture.md draws.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerRule } from './eslint/layer-rule.js';

/** The arrows the design forbids, as data; `npm run lint` fails on any import that breaks one. */
const boundaries = [
  { name: 'The kernel imports nothing of ours', from: ['source/kernel/'], mayImportOnly: ['source/kernel/'] },
  { name: 'The sandbox imports nothing outside itself', from: ['source/sandbox/'], mayImportOnly: ['source/sandbox/'] },
  {
    name: 'Only source/connect (and `sandbox serve`) opens the sandbox',
    from: ['source/'],
    except: ['source/sandbox/', 'source/connect/', 'source/commands/sandbox-serve.ts'],
    mayNotImport: ['source/sandbox/', 'source/kube/sandbox-kube.ts'],
  },
  {
    name: 'The UI renders state and collects answers; it never calls Azure, the cluster or the sandbox',
    from: ['source/ui/'],
    mayNotImport: ['source/azure/', 'source/kube/', 'source/sandbox/'],
    packages: ['@azure', 'execa'],
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.node24/', 'coverage/', 'charts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { layers: { rules: { imports: layerRule } } },
    rules: {
      'layers/imports': ['error', boundaries],
      // SDK and JSON shapes are cast through `any` on purpose in a few places; tsc is strict elsewhere.
      '@typescript-eslint/no-explicit-any': 'off',
      // Unused names: `_` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // TypeScript resolves names itself; no-undef only misreads its globals and types.
  { files: ['**/*.{ts,tsx}'], rules: { 'no-undef': 'off' } },
  // Tests match terminal output, escape codes included.
  { files: ['test/**'], rules: { 'no-control-regex': 'off' } },
  // The recording stand-ins for kubectl and helm are plain CommonJS Node scripts.
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
