/** Address-range arithmetic for the subnet and peering checks (IPv4 and IPv6 via ipaddr.js). */
import ipaddr from 'ipaddr.js';

function range(cidr: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    return ipaddr.parseCIDR(cidr);
  } catch {
    return undefined;
  }
}

/** Two ranges overlap when either contains the other's network address. */
export function overlaps(a: string, b: string): boolean {
  const ra = range(a);
  const rb = range(b);
  if (!ra || !rb || ra[0].kind() !== rb[0].kind()) return false;
  return ra[0].match(rb) || rb[0].match(ra);
}

/** `inner` lies completely inside `outer`. */
export function within(inner: string, outer: string): boolean {
  const ri = range(inner);
  const ro = range(outer);
  if (!ri || !ro || ri[0].kind() !== ro[0].kind()) return false;
  return ri[1] >= ro[1] && ri[0].match(ro);
}

/** Every overlapping pair between two lists, e.g. [["10.10.0.0/16", "10.10.0.0/16"]]. */
export function overlappingPairs(a: readonly string[], b: readonly string[]): [string, string][] {
  return a.flatMap((x) => b.filter((y) => overlaps(x, y)).map((y) => [x, y] as [string, string]));
}
