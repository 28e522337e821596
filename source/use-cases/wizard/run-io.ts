/**
 * What a wizard run gets from the screen (events out, the approval and typed values in): the
 * contract between the UI's run handle and the use cases behind it.
 */
import type { EventSink } from '../../kernel/events.js';
import type { Plan } from '../../kernel/plan.js';
import type { Config } from '../../config/schema.js';
import type { SourcedValue } from '../../secrets/secret-entry.js';

export interface RunIo {
  emit: EventSink;
  signal: AbortSignal;
  /** Asked once, after plan.ready, only when the plan changes something. */
  approve: (plan: Plan) => Promise<boolean>;
  /** Values typed into the wizard's masked prompts: in memory only, for the migration. */
  prompted: readonly SourcedValue[];
}

/** The use case (plan → approval → apply → verify) behind a function, so tests and the CLI hand in the same one. */
export type SetupRunner = (config: Config, io: RunIo) => Promise<void>;
