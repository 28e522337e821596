/**
 * Kubernetes RBAC as `kubectl auth can-i` sees it. The operator is cluster-admin unless the
 * world (or a test) lists denials on the cluster, which is how the sandbox simulates a user
 * with no rights in the Feathr namespace. Only can-i consults them: the write routes still
 * accept the operator, so a denial shows in preflight checks, not as a failed apply.
 */
import type { ClusterState, RbacDenial } from './state.js';

/** `deployments.apps` and `deployments` name the same resource; compare the plural name only. */
const resourceName = (resource: string) => resource.split('.')[0]!.toLowerCase();

function matches(denial: RbacDenial, verb: string, resource: string, namespace: string | undefined): boolean {
  const anyOf = (wanted: string | undefined, actual: string) =>
    wanted === undefined || wanted === '*' || wanted === actual;
  return (
    anyOf(denial.verb?.toLowerCase(), verb.toLowerCase()) &&
    anyOf(denial.resource === undefined ? undefined : resourceName(denial.resource), resourceName(resource)) &&
    // A denial in a namespace doesn't touch cluster-scoped requests; one without a namespace covers all.
    (denial.namespace === undefined || denial.namespace === namespace)
  );
}

export function canI(cluster: ClusterState, verb: string, resource: string, namespace?: string): boolean {
  return !(cluster.rbacDenials ?? []).some((denial) => matches(denial, verb, resource, namespace));
}
