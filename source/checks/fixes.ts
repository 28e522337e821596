/**
 * The exact fixes, one function each, so diagnoses and checks give the same command for the
 * same cause. Commands name real resources when the context knows them, placeholders in
 * <angle brackets> only where it can't. No command ever carries a secret value: secrets are
 * read from a file (`--file`, `--from-file`), never from argv. The fixes live in one file per
 * topic; this is the one object callers use.
 */
import { clusterFixes } from './fixes-cluster.js';
import { identityFixes } from './fixes-identity.js';
import { networkFixes } from './fixes-network.js';
import { vaultFixes } from './fixes-vault.js';

export type { DiagnosisContext, VnetRef } from './fix-context.js';

export const fixes = { ...clusterFixes, ...identityFixes, ...networkFixes, ...vaultFixes };
