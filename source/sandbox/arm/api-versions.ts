/**
 * The api-versions ARM accepts per resource provider: the stable versions of each provider's REST
 * specification (Azure/azure-rest-api-specs, the folder names under
 * specification/<rp>/resource-manager/<namespace>/stable/), plus every version the pinned SDKs
 * send (their default apiVersion). Any other version is answered as ARM does:
 * 400 NoRegisteredProviderFound, naming the supported versions (README § api-versions).
 */
import { fail } from './call.js';

const NETWORK = [
  '2015-06-15',
  '2016-03-30',
  '2016-06-01',
  '2016-09-01',
  '2016-12-01',
  '2017-03-01',
  '2017-06-01',
  '2017-08-01',
  '2017-09-01',
  '2017-10-01',
  '2017-11-01',
  '2018-01-01',
  '2018-02-01',
  '2018-04-01',
  '2018-06-01',
  '2018-07-01',
  '2018-08-01',
  '2018-10-01',
  '2018-11-01',
  '2018-12-01',
  '2019-02-01',
  '2019-04-01',
  '2019-06-01',
  '2019-07-01',
  '2019-08-01',
  '2019-09-01',
  '2019-11-01',
  '2019-12-01',
  '2020-03-01',
  '2020-04-01',
  '2020-05-01',
  '2020-06-01',
  '2020-07-01',
  '2020-08-01',
  '2020-11-01',
  '2021-02-01',
  '2021-03-01',
  '2021-05-01',
  '2021-08-01',
  '2022-01-01',
  '2022-05-01',
  '2022-07-01',
  '2022-09-01',
  '2022-11-01',
  '2023-02-01',
  '2023-04-01',
  '2023-05-01',
  '2023-06-01',
  '2023-09-01',
  '2023-11-01',
  '2024-01-01',
  '2024-03-01',
  '2024-05-01',
  '2024-07-01',
  '2024-10-01',
  '2025-01-01',
  '2025-03-01',
  '2025-05-01',
];

/** Namespace (lower case) → versions; `Microsoft.Network/privateDnsZones` has its own specification. */
const VERSIONS: Record<string, readonly string[]> = {
  'microsoft.keyvault': [
    '2015-06-01',
    '2016-10-01',
    '2018-02-14',
    '2019-09-01',
    '2021-10-01',
    '2022-07-01',
    '2022-11-01',
    '2023-02-01',
    '2023-07-01',
    '2024-11-01',
    '2025-05-01',
    '2026-02-01',
  ],
  'microsoft.network': NETWORK,
  'microsoft.network/privatednszones': ['2018-09-01', '2020-01-01', '2020-06-01', '2024-06-01'],
  'microsoft.resources': [
    '2015-11-01',
    '2016-02-01',
    '2016-07-01',
    '2016-09-01',
    '2017-05-10',
    '2018-02-01',
    '2018-05-01',
    '2019-03-01',
    '2019-05-01',
    '2019-05-10',
    '2019-07-01',
    '2019-08-01',
    '2019-10-01',
    '2020-06-01',
    '2020-08-01',
    '2020-10-01',
    '2021-01-01',
    '2021-04-01',
    '2022-09-01',
    '2023-07-01',
    '2024-03-01',
    '2024-07-01',
    '2024-11-01',
    '2025-03-01',
    '2025-04-01',
  ],
  /** The subscriptions API (resources/resource-manager/Microsoft.Resources/stable, subscriptions.json). */
  'microsoft.resources/subscriptions': [
    '2016-06-01',
    '2018-06-01',
    '2019-06-01',
    '2019-11-01',
    '2020-01-01',
    '2021-01-01',
    '2022-01-01',
    '2022-12-01',
    '2024-11-01',
  ],
  'microsoft.containerservice': [
    '2017-08-31',
    '2018-03-31',
    '2019-02-01',
    '2019-04-01',
    '2019-06-01',
    '2019-08-01',
    '2019-10-01',
    '2019-11-01',
    '2020-01-01',
    '2020-02-01',
    '2020-03-01',
    '2020-04-01',
    '2020-06-01',
    '2020-07-01',
    '2020-09-01',
    '2020-11-01',
    '2020-12-01',
    '2021-02-01',
    '2021-03-01',
    '2021-05-01',
    '2021-07-01',
    '2021-08-01',
    '2021-09-01',
    '2021-10-01',
    '2022-01-01',
    '2022-02-01',
    '2022-03-01',
    '2022-04-01',
    '2022-06-01',
    '2022-07-01',
    '2022-08-01',
    '2022-09-01',
    '2022-11-01',
    '2023-01-01',
    '2023-02-01',
    '2023-03-01',
    '2023-04-01',
    '2023-05-01',
    '2023-06-01',
    '2023-07-01',
    '2023-08-01',
    '2023-09-01',
    '2023-10-01',
    '2023-11-01',
    '2024-01-01',
    '2024-02-01',
    '2024-05-01',
    '2024-06-01',
    '2024-07-01',
    '2024-08-01',
    '2024-09-01',
    '2024-10-01',
    '2025-01-01',
    '2025-02-01',
    '2025-03-01',
    '2025-04-01',
    '2025-05-01',
    '2025-06-01',
    '2025-07-01',
    '2025-08-01',
    '2025-09-01',
    '2025-10-01',
    '2026-01-01',
    '2026-02-01',
    '2026-03-01',
    '2026-04-01',
  ],
  'microsoft.authorization': ['2015-07-01', '2018-01-01-preview', '2020-04-01-preview', '2022-04-01'],
  'microsoft.managedidentity': ['2018-11-30', '2023-01-31', '2024-11-30'],
};

/** The provider namespace and type a path names: after its last `/providers/`, else Microsoft.Resources. */
function resourceTypeOf(segments: string[]): { namespace: string; type: string } {
  const lower = segments.map((s) => s.toLowerCase());
  const at = lower.lastIndexOf('providers');
  if (at < 0 || !segments[at + 1]) {
    // /subscriptions, /subscriptions/{id}: the subscriptions API; below it, resource groups.
    return lower.length <= 2
      ? { namespace: 'Microsoft.Resources', type: 'subscriptions' }
      : { namespace: 'Microsoft.Resources', type: 'resourceGroups' };
  }
  const rest = segments.slice(at + 2);
  // Types alternate with names: vaults/{v}/secrets/{s} → vaults/secrets.
  const type = rest.filter((_, index) => index % 2 === 0).join('/');
  return { namespace: segments[at + 1]!, type };
}

function versionsFor(namespace: string, type: string): readonly string[] | undefined {
  const ns = namespace.toLowerCase();
  const first = type.split('/')[0]!.toLowerCase();
  // An operation's status is polled with the version of the call that started it, whichever
  // specification of the namespace (Microsoft.Network's private DNS zones too) that was.
  if (first === 'locations') {
    const all = Object.entries(VERSIONS)
      .filter(([key]) => key === ns || key.startsWith(`${ns}/`))
      .flatMap(([, versions]) => versions);
    return all.length > 0 ? all : undefined;
  }
  return VERSIONS[`${ns}/${first}`] ?? VERSIONS[ns];
}

/** Refuses an api-version the type's provider doesn't have; providers the sandbox doesn't know pass. */
export function requireKnownApiVersion(
  segments: string[],
  apiVersion: string,
  location: string,
  locations: readonly string[],
): void {
  const { namespace, type } = resourceTypeOf(segments);
  const versions = versionsFor(namespace, type);
  if (!versions || versions.includes(apiVersion.toLowerCase())) return;
  fail(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${[...versions].reverse().join(', ')}'. The supported locations are '${locations.join(', ')}'.`,
  );
}
