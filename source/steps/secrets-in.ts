/**
 * Milestone `secrets-in`: the point after which the vault may be locked down. It makes no
 * change of its own today; issue 5 (secret migration) replaces it with the `migrate-secrets`
 * step under the same id, so vault-lockdown and vault-firewall keep depending on it and the
 * operator is never locked out before the secrets are in.
 */
import { defineStep } from '../engine/step.js';
import { noOp } from '../engine/plan.js';

export const SECRETS_IN = 'secrets-in';

export const secretsInStep = defineStep<'config'>({
  id: SECRETS_IN,
  title: 'Secrets in the vault (milestone)',
  dependsOn: ['vault', 'operator-access'],
  appliesTo: () => true,
  async plan(ctx) {
    return noOp({ milestone: SECRETS_IN, vault: ctx.config.vault.name }, [
      { mark: '=', resource: 'milestone secrets-in', reason: 'network lock-down waits here until the secrets are written (migration runs as its own step)' },
    ]);
  },
  async apply() {
    // Never called: the plan is always no-op, and the executor only applies planned changes.
  },
  async verify() {
    return 'Milestone reached: the vault is ready for lock-down';
  },
});
