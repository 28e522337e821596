/**
 * ARM long-running operations: the first response is 201/202 with
 * `Azure-AsyncOperation` (status body InProgress → Succeeded | Failed) and/or `Location`
 * (202 while running, then 200/204), plus `Retry-After` (0 so SDK pollers that honour it are
 * fast). The resource's provisioningState follows the operation. How long an operation stays
 * InProgress is the `lro` latency; `lro:failed@...` faults make it end Failed.
 */
import { randomUUID } from 'node:crypto';
import { drawFault, latencyFor } from '../faults.js';
import type { SandboxResponse } from '../http.js';
import type { ArmOperation, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { PEERING_TYPE } from './network-common.js';
import { settlePeering } from './peering-state.js';
import { getResource } from './store.js';
import type { VnetLock } from './vnet-locks.js';

/** Completed operations are forgotten after this, so a long-running sandbox stays flat in memory. */
const KEEP_FINISHED_MS = 15 * 60_000;

function operationsOf(state: SandboxState): Map<string, ArmOperation> {
  if (!state.operations) state.operations = new Map();
  return state.operations;
}

function beginOperation(call: ArmCall, resourceId?: string, lock?: VnetLock): ArmOperation {
  const { state } = call.ctx;
  const now = call.ctx.now();
  const fault = drawFault(state.faults, 'lro', call.path);
  const operation: ArmOperation = {
    id: randomUUID(),
    status: 'InProgress',
    resourceId,
    readyAt: now + latencyFor(state.faults, 'lro'),
    startTime: new Date(now).toISOString(),
    ...(lock ? { lock: { name: lock.name, vnetIds: lock.vnetIds.map((id) => id.toLowerCase()) } } : {}),
    ...(fault?.kind === 'failed'
      ? {
          error: {
            code: 'InternalOperationError',
            message: 'An internal execution error occurred. Please retry later. (sandbox: injected lro fault)',
          },
        }
      : {}),
  };
  operationsOf(state).set(operation.id, operation);
  return operation;
}

export interface LroHeaderOptions {
  provider: string;
  location: string;
  asyncOperation?: boolean;
  locationHeader?: boolean;
  /** The VNets the operation holds while it runs (arm/vnet-locks.ts). */
  lock?: VnetLock;
}

function lroHeaders(call: ArmCall, operation: ArmOperation, options: LroHeaderOptions): Record<string, string> {
  const base = `${call.ctx.baseUrl}/subscriptions/${call.params.sub ?? call.ctx.state.subscriptionId}/providers/${options.provider}/locations/${encodeURIComponent(options.location.toLowerCase())}`;
  const query = `?api-version=${encodeURIComponent(call.apiVersion)}`;
  const headers: Record<string, string> = { 'retry-after': '0' };
  if (options.asyncOperation ?? true)
    headers['azure-asyncoperation'] = `${base}/operationStatuses/${operation.id}${query}`;
  if (options.locationHeader) headers.location = `${base}/operationResults/${operation.id}${query}`;
  return headers;
}

/** Starts an operation and answers the first response of a PUT/DELETE/POST LRO. */
export function lroResponse(
  call: ArmCall,
  status: number,
  body: unknown,
  resourceId: string | undefined,
  options: LroHeaderOptions,
): SandboxResponse {
  const operation = beginOperation(call, resourceId, options.lock);
  return json(status, body, lroHeaders(call, operation, options));
}

/** Moves due operations to their end state and the resources' provisioningState with them. */
export function settleOperations(state: SandboxState, now: number): void {
  const operations = state.operations;
  if (!operations) return;
  for (const [id, operation] of operations) {
    if (operation.status === 'InProgress' && operation.readyAt <= now) {
      operation.status = operation.error ? 'Failed' : 'Succeeded';
      operation.endTime = new Date(now).toISOString();
      const resource = operation.resourceId ? getResource(state, operation.resourceId) : undefined;
      if (resource?.properties) {
        resource.properties.provisioningState = operation.status;
        if ('virtualNetworkLinkState' in resource.properties && operation.status === 'Succeeded')
          resource.properties.virtualNetworkLinkState = 'Completed';
        if (resource.type === PEERING_TYPE && operation.status === 'Succeeded') settlePeering(state, resource);
      }
    } else if (operation.endTime && Date.parse(operation.endTime) + KEEP_FINISHED_MS < now) {
      operations.delete(id);
    }
  }
}

function requireOperation(call: ArmCall): ArmOperation {
  const operation = call.ctx.state.operations?.get(call.params.operationId);
  if (!operation) fail(404, 'OperationNotFound', `The operation '${call.params.operationId}' could not be found.`);
  return operation;
}

/** GET …/operationStatuses/{id}: the Azure-AsyncOperation body. */
export function operationStatus(call: ArmCall): SandboxResponse {
  const operation = requireOperation(call);
  return json(200, {
    id: call.path,
    name: operation.id,
    status: operation.status,
    startTime: operation.startTime,
    ...(operation.endTime ? { endTime: operation.endTime } : {}),
    ...(operation.status === 'Failed' ? { error: operation.error } : {}),
  });
}

/** GET …/operationResults/{id}: the Location protocol (202 while running). */
export function operationResult(call: ArmCall): SandboxResponse {
  const operation = requireOperation(call);
  if (operation.status === 'InProgress') {
    return {
      status: 202,
      headers: { location: `${call.ctx.baseUrl}${call.req.url.pathname}${call.req.url.search}`, 'retry-after': '0' },
    };
  }
  if (operation.status === 'Failed') return json(400, { error: operation.error });
  const resource = operation.resourceId ? getResource(call.ctx.state, operation.resourceId) : undefined;
  // Done: 200 (the SDKs expect 200/201/202 here; some treat a 204 from the Location URL as an error).
  return resource ? json(200, resource) : { status: 200 };
}
