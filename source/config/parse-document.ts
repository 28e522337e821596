/**
 * YAML (and JSON, which YAML 1.2 reads too) into a plain value, or every syntax error with its
 * line and column. The parser's own excerpt of the offending line is left out on purpose:
 * that line may hold a pasted secret.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { ConfigIssue } from './issues.js';

export type ParsedDocument = { ok: true; value: unknown } | { ok: false; issues: ConfigIssue[] };

export function parseConfigText(text: string): ParsedDocument {
  const lineCounter = new LineCounter();
  // uniqueKeys: a key given twice is an error, not "the last one wins".
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return {
          path: [],
          problem: `line ${line}, column ${col}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          fix: error.code === 'TAB_AS_INDENT' ? 'indent with spaces, not tabs' : 'fix the YAML syntax at that position',
        };
      }),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    // toJS throws (not reports) when aliases expand past maxAliasCount: a "billion laughs" file.
    return {
      ok: false,
      issues: [
        {
          path: [],
          problem: `can't be read: ${error instanceof Error ? error.message : String(error)}`,
          fix: 'write the preset without YAML aliases (&name / *name)',
        },
      ],
    };
  }
}
