import { RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { classifyVaultFailure, toVaultCallError } from '../../source/secrets/vault-errors.js';

/** RestErrors shaped as keyvault-secrets builds them: parsed body on `details`, request kept on the error. */
function kvError(status: number, code: string, message: string, inner?: string): RestError {
  const error = new RestError(message, {
    statusCode: status,
    code,
    request: { body: '{"value":"CANARY-request-body"}' } as never,
  });
  error.details = { error: { code, message, ...(inner ? { innerError: { code: inner } } : {}) } };
  return error;
}

describe('classifyVaultFailure', () => {
  it.each([
    {
      error: kvError(429, 'Throttled', 'Request was not processed because too many requests were received.'),
      kind: 'throttled',
    },
    { error: kvError(500, 'InternalServerError', 'x'), kind: 'server' },
    { error: kvError(503, 'ServiceUnavailable', 'x'), kind: 'server' },
    { error: kvError(501, 'NotImplemented', 'x'), kind: 'other' },
    { error: new RestError('socket hang up', { code: 'ECONNRESET' }), kind: 'connection' },
    {
      error: kvError(
        403,
        'Forbidden',
        'Public network access is disabled and request is not from a trusted service',
        'ForbiddenByConnection',
      ),
      kind: 'public-access-disabled',
    },
    {
      error: kvError(403, 'Forbidden', 'Caller is not authorized to perform action on resource.', 'ForbiddenByRbac'),
      kind: 'rbac',
    },
    {
      error: kvError(
        409,
        'Conflict',
        'Secret X is currently in a deleted but recoverable state',
        'ObjectIsDeletedButRecoverable',
      ),
      kind: 'deleted',
    },
    { error: kvError(404, 'SecretNotFound', 'A secret with (name/id) X was not found'), kind: 'not-found' },
  ])('$kind from $error.statusCode $error.code', ({ error, kind }) => {
    expect(classifyVaultFailure(error).kind).toBe(kind);
  });

  it('parses the client address out of a firewall 403', () => {
    const error = kvError(
      403,
      'Forbidden',
      'Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.7\r\nCaller: appid=x;oid=y\r\nVault: kv;location=eastus',
      'ForbiddenByFirewall',
    );
    expect(classifyVaultFailure(error)).toEqual({
      kind: 'firewall',
      status: 403,
      code: 'Forbidden',
      innerCode: 'ForbiddenByFirewall',
      clientAddress: '203.0.113.7',
    });
  });

  it('reads the inner code from an ARM-style body text too', () => {
    const error = new RestError('x', {
      statusCode: 409,
      code: 'Conflict',
      response: {
        bodyAsText: '{"error":{"code":"Conflict","innererror":{"code":"ObjectIsDeletedButRecoverable"}}}',
      } as never,
    });
    expect(classifyVaultFailure(error).kind).toBe('deleted');
  });

  it('keeps no SDK text, request or cause on the error it makes', () => {
    const wrapped = toVaultCallError(
      'Writing CONN-STR',
      kvError(400, 'BadParameter', 'The value CANARY-echoed-value is invalid'),
    );
    expect(wrapped.message).toBe('Writing CONN-STR failed: 400 BadParameter');
    expect(wrapped.cause).toBeUndefined();
    expect(JSON.stringify(wrapped)).not.toContain('CANARY');
    expect(String(wrapped.stack)).not.toContain('CANARY');
  });

  it('drops a code that is not an identifier (it could be echoed input)', () => {
    const error = new RestError('x', { statusCode: 400, code: 'value=CANARY secret' });
    expect(classifyVaultFailure(error).code).toBeUndefined();
  });
});
