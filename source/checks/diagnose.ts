/**
 * Known failure texts → cause and exact fix. The texts come from the CSI driver, the Azure
 * provider, Entra ID and Key Vault. Their wording is "not
 * contractual", so every rule matches a stable substring (an error code, a fixed phrase),
 * never a whole message. Rules are data, one file per source, and are tried in order: the
 * most specific first.
 */
import { clusterRules } from './diagnose-cluster.js';
import { identityRules } from './diagnose-identity.js';
import { vaultRules } from './diagnose-vault.js';
import type { DiagnosisContext } from './fix-context.js';
import type { Diagnosis, Rule } from './diagnosis-types.js';

export type { DiagnosisContext } from './fix-context.js';
export type { Diagnosis, DiagnosisCode } from './diagnosis-types.js';
export { diagnoseDnsAnswer } from './diagnose-dns.js';

/** `failed to get objectType:secret, objectName:CONN-STR, objectVersion:: <cause>` (provider.go). */
const OBJECT_NAME = /objectName:\s*([0-9A-Za-z-]+)/;

const RULES: readonly Rule[] = [...clusterRules, ...identityRules, ...vaultRules];

/** Maps a failure text (a FailedMount event, a provider log line, a 403 body) to a diagnosis. */
export function diagnoseText(text: string, ctx: DiagnosisContext): Diagnosis | undefined {
  const objectName = OBJECT_NAME.exec(text)?.[1];
  for (const rule of RULES) {
    const match = rule.pattern.exec(text);
    if (match) return { code: rule.code, ...rule.explain(match, text, ctx, objectName) };
  }
  return undefined;
}

/** The cause part of a FailedMount text, without the long gRPC prefix, for messages. */
export function failedMountCause(text: string): string {
  const afterVersion = /objectVersion:[^:]*:\s*(.*)$/s.exec(text)?.[1];
  if (afterVersion) return afterVersion.trim();
  const lastDesc = text.split('desc = ').pop();
  return (lastDesc ?? text).trim();
}
