/** The one approval rule (Terraform's): ask only with a terminal, without --yes, and when there is something to do. */
export function mustConfirm(input: { hasTTY: boolean; yes: boolean; planIsEmpty: boolean }): boolean {
  return input.hasTTY && !input.yes && !input.planIsEmpty;
}

/** Without a terminal nobody can answer, so a plan with changes needs --yes up front. */
export function needsYesFlag(input: { hasTTY: boolean; yes: boolean; planIsEmpty: boolean }): boolean {
  return !input.hasTTY && !input.yes && !input.planIsEmpty;
}
