/**
 * Role assignments take minutes to reach the Key Vault data plane (ForbiddenByRbac meanwhile).
 * Wait by a real read, bounded, instead of a fixed sleep. Issue 5's migration calls this with a
 * probe such as "list one page of secrets" before writing.
 */
import { CancelledError, UserError } from '../kernel/errors.js';
import { codeOf, statusOf } from './errors.js';

export interface DataPlaneWait {
  /** A real data-plane read; resolves when access works. */
  probe: () => Promise<unknown>;
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal;
  onWaiting?: (elapsedMs: number) => void;
  /** For the error message, e.g. "vault feathr-kv-demo". */
  what: string;
}

function innerCode(error: unknown): string | undefined {
  const body = (error as { details?: { error?: { innererror?: { code?: string } } } } | undefined)?.details;
  return body?.error?.innererror?.code;
}

/** True for the 403 that means "the role isn't effective yet", as opposed to a firewall or network denial. */
export function isRbacDenial(error: unknown): boolean {
  if (statusOf(error) !== 403) return false;
  const text = `${codeOf(error) ?? ''} ${innerCode(error) ?? ''} ${(error as Error | undefined)?.message ?? ''}`;
  return /ForbiddenByRbac|not authorized to perform action/i.test(text) && !/ForbiddenByFirewall|ForbiddenByConnection/i.test(text);
}

export async function waitForDataPlaneAccess(wait: DataPlaneWait): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (wait.signal.aborted) throw new CancelledError();
    try {
      await wait.probe();
      return;
    } catch (error) {
      if (!isRbacDenial(error)) throw error;
      const elapsed = Date.now() - started;
      if (elapsed + wait.intervalMs > wait.timeoutMs) {
        throw new UserError(
          `Access to ${wait.what} still isn't effective after ${Math.round(elapsed / 1000)} s: ForbiddenByRbac.`,
          'Role assignments can take up to 10 minutes to apply. Run the same command again in a few minutes.',
        );
      }
      wait.onWaiting?.(elapsed);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait.intervalMs);
        wait.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }
}
