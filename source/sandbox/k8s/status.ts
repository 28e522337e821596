/**
 * Failure answers in the API server's `Status` shape, with its texts (k8s.io/apimachinery
 * pkg/api/errors: NewNotFound, NewAlreadyExists, NewConflict, NewForbidden, NewMethodNotSupported,
 * NewInvalid, NewBadRequest), so kubectl and helm print and classify them as they do for real.
 */
import type { SandboxResponse } from '../http.js';
import type { ResourceType } from './types.js';

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

export function statusResponse(error: StatusError): SandboxResponse {
  return {
    status: error.code,
    headers: JSON_HEADERS,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: error.message,
      reason: error.reason,
      details: error.details,
      code: error.code,
    },
  };
}

/** `deployments.apps` for grouped resources, `secrets` for core ones. */
function qualified(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

const details = (type: Pick<ResourceType, 'group' | 'plural'>, name: string) => ({
  name,
  ...(type.group ? { group: type.group } : {}),
  kind: type.plural,
});

export const notFound = (type: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
  new StatusError(404, 'NotFound', `${qualified(type)} "${name}" not found`, details(type, name));

export const alreadyExists = (type: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
  new StatusError(409, 'AlreadyExists', `${qualified(type)} "${name}" already exists`, details(type, name));

export const conflict = (type: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
  new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(type, name),
  );

export const badRequest = (message: string) => new StatusError(400, 'BadRequest', message);

export const methodNotAllowed = () =>
  new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const noSuchPath = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource');

export function forbidden(
  user: string,
  verb: string,
  type: Pick<ResourceType, 'group' | 'plural'>,
  namespace: string | undefined,
  name?: string,
): StatusError {
  const subject = name ? `${qualified(type)} "${name}"` : qualified(type);
  const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  return new StatusError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}"${where}`,
    details(type, name ?? ''),
  );
}
