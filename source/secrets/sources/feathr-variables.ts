/** The variables feathr-online reads, so the tool can name the ones missing. */
export const FEATHR_VARIABLES = [
  'FEATHRCI_HOST',
  'FEATHRCI_PASS',
  'FEATHRCI_TABLE',
  'IPGEOLOCATION_APIKEY',
  'CONN_STR',
  'COSMOS_ACCOUNT',
  'COSMOS_API_KEY',
  'COSMOS_DATABASE',
] as const;

/** The expected variables no source provides, compared exactly (env names are case-sensitive). */
export function missingFeathrVariables(names: Iterable<string>): string[] {
  const have = new Set(names);
  return FEATHR_VARIABLES.filter((name) => !have.has(name));
}
