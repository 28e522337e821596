/**
 * Who may do what on a simulated cluster. The operator is cluster-admin unless the world
 * narrows it: `rbacDenials` take single rights away, and `namespaceScope` makes the operator a
 * user bound to admin roles in those namespaces only (RoleBindings, no ClusterRoleBinding), so
 * cluster-scoped resources and other namespaces are forbidden, as RBAC would have it.
 * Discovery and self reviews stay open to every authenticated user (system:basic-user,
 * system:discovery).
 */
interface RbacDenial {
  verb?: string;
  /** e.g. `secrets` or `deployments.apps`; compared by the plural name. */
  resource?: string;
  namespace?: string;
}

export interface ClusterAccess {
  rbacDenials?: RbacDenial[];
  /** When set, the operator may act only inside these namespaces. */
  namespaceScope?: string[];
}

export interface Attributes {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
}

const plural = (resource: string) => resource.split('.')[0]!.split('/')[0]!.toLowerCase();

function denied(denial: RbacDenial, attributes: Attributes): boolean {
  const anyOf = (wanted: string | undefined, actual: string) =>
    wanted === undefined || wanted === '*' || wanted === actual;
  return (
    anyOf(denial.verb?.toLowerCase(), attributes.verb.toLowerCase()) &&
    anyOf(denial.resource === undefined ? undefined : plural(denial.resource), plural(attributes.resource)) &&
    (denial.namespace === undefined || denial.namespace === attributes.namespace)
  );
}

const ALWAYS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);

export function allowed(access: ClusterAccess, attributes: Attributes): boolean {
  if (ALWAYS.has(plural(attributes.resource))) return true;
  if ((access.rbacDenials ?? []).some((denial) => denied(denial, attributes))) return false;
  if (access.namespaceScope) {
    return attributes.namespace !== undefined && access.namespaceScope.includes(attributes.namespace);
  }
  return true;
}
