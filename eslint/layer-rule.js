/**
 * One ESLint rule for the one-way arrows between our folders (docs/architecture.md, "Layers").
 * It resolves every relative import, re-export and dynamic import() to a path in the repository
 * and reports it when a boundary of eslint.config.js forbids that arrow. Package imports are
 * not ours and pass; a boundary may still name packages it forbids.
 */
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** `source/kernel/plan.ts` importing `../ui/App.js` → `source/ui/App.js`. */
function target(filename, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  return path
    .relative(root, path.resolve(path.dirname(filename), specifier))
    .split(path.sep)
    .join('/');
}

const under = (file, prefixes) =>
  prefixes.some(
    (p) => file === p || file.startsWith(p.endsWith('/') ? p : `${p}/`) || file.replace(/\.js$/, '.ts') === p,
  );

/** @type {import('eslint').Rule.RuleModule} */
export const layerRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go one way between layers (the boundaries in eslint.config.js).' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            from: { type: 'array', items: { type: 'string' } },
            except: { type: 'array', items: { type: 'string' } },
            mayImportOnly: { type: 'array', items: { type: 'string' } },
            mayNotImport: { type: 'array', items: { type: 'string' } },
            packages: { type: 'array', items: { type: 'string' } },
          },
          required: ['name', 'from'],
          additionalProperties: false,
        },
      },
    ],
  },
  create(context) {
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const boundaries = (context.options[0] ?? []).filter((b) => under(file, b.from) && !under(file, b.except ?? []));
    if (boundaries.length === 0) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const specifier = source.value;
      const to = target(context.filename, specifier);
      for (const b of boundaries) {
        const broken = to
          ? (b.mayImportOnly && !under(to, b.mayImportOnly)) || (b.mayNotImport && under(to, b.mayNotImport))
          : (b.packages ?? []).some((p) => specifier === p || specifier.startsWith(p.endsWith('/') ? p : `${p}/`));
        if (broken) context.report({ node, message: `${b.name}: ${file} may not import ${to ?? specifier}.` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : undefined),
    };
  },
};
