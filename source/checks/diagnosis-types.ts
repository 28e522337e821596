/** The shapes diagnoses share: the codes, a diagnosis, and a rule that produces one. */
import type { DiagnosisContext } from './fix-context.js';

export type DiagnosisCode =
  | 'csi-driver-not-registered'
  | 'sync-rbac-missing'
  | 'node-publish-secret-missing'
  | 'sp-secret-invalid'
  | 'federation-mismatch'
  | 'identity-not-found'
  | 'identity-ambiguous'
  | 'firewall-blocks-egress'
  | 'public-access-disabled'
  | 'rbac-denied'
  | 'secret-not-found'
  | 'secret-disabled'
  | 'vault-unreachable'
  | 'spc-invalid'
  | 'dns-public-answer'
  | 'dns-wrong-private-answer'
  | 'dns-no-answer';

export interface Diagnosis {
  code: DiagnosisCode;
  /** What is wrong and why, present tense, e.g. "Can't reach vault feathr-kv from the cluster: …". */
  cause: string;
  /** The exact fix: a command or a setting. */
  fix: string;
  /** Values parsed from the text, for the JSON output and for later checks (never secret values). */
  facts: Record<string, string>;
}

export interface Rule {
  code: DiagnosisCode;
  pattern: RegExp;
  explain(match: RegExpMatchArray, text: string, ctx: DiagnosisContext, objectName?: string): Omit<Diagnosis, 'code'>;
}

/** Drops unknown values so facts hold strings only. */
export function only(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
