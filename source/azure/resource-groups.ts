/** Resource groups (arm-resources 7, classic). */
import type { ResourceGroup } from '@azure/arm-resources';
import type { AzureClients } from './clients.js';
import { azureCall, azureRead } from './errors.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export function getResourceGroup(ctx: Ctx, name: string): Promise<ResourceGroup | undefined> {
  return azureRead(
    `read resource group ${name}`,
    () => ctx.azure.resources.resourceGroups.get(name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function createResourceGroup(
  ctx: Ctx,
  name: string,
  location: string,
  tags: Record<string, string>,
): Promise<ResourceGroup> {
  return azureCall(
    `create resource group ${name}`,
    () => ctx.azure.resources.resourceGroups.createOrUpdate(name, { location, tags }, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}
