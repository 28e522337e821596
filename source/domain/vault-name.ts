/**
 * Key Vault's vault-name rule: 3-24 characters from [0-9a-zA-Z-], a letter
 * first, a letter or digit last, no `--`. Every broken rule is named, so one edit fixes all.
 */
export function vaultNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 24) problems.push(`is ${name.length} characters long; a vault name has 3 to 24`);
  const bad = [...new Set([...name].filter((ch) => !/[0-9a-zA-Z-]/.test(ch)))];
  if (bad.length > 0)
    problems.push(`has ${bad.map((ch) => `'${ch}'`).join(', ')}; only letters, digits and - are allowed`);
  if (name.length > 0 && !/^[a-zA-Z]/.test(name)) problems.push('must start with a letter');
  if (name.length > 0 && !/[a-zA-Z0-9]$/.test(name)) problems.push('must end with a letter or digit');
  if (name.includes('--')) problems.push("can't contain two hyphens in a row (--)");
  return problems;
}

/** A name that passes every rule, close to `name`, for the fix text. */
export function suggestVaultName(name: string): string | undefined {
  let s = name
    .toLowerCase()
    .replace(/[^0-9a-z-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '');
  s = s.slice(0, 24).replace(/-+$/, '');
  if (s.length > 0 && s.length < 3) s = `${s}-kv`;
  return s.length >= 3 && vaultNameProblems(s).length === 0 ? s : undefined;
}
