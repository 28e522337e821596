/**
 * The `secrets map` table:
 *   CONN_STR        → CONN-STR        .env feathr.env
 *   conn_str        → CONN-STR-2      .env feathr.env (renamed)
 */
import type { SecretMapping } from '../domain/secret-names.js';

export function renderMappingTable(mapping: readonly SecretMapping[]): string {
  const envWidth = Math.max(...mapping.map((m) => m.env.length));
  const vaultWidth = Math.max(...mapping.map((m) => m.vaultName.length));
  const rows = mapping.map(
    (m) =>
      `  ${m.env.padEnd(envWidth)} → ${m.vaultName.padEnd(vaultWidth)}  ${m.source}${m.renamed ? ' (renamed)' : ''}`,
  );
  return `Key Vault names (env name → vault name, source):\n${rows.join('\n')}\n`;
}
