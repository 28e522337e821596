/** What every question screen receives, and the one way it answers. */
import type { Answers } from '../../discovery/port.js';
import type { TopologyFacts } from '../topology-model.js';
import type { WizardPort } from '../../discovery/port.js';

export interface ScreenProps {
  answers: Answers;
  facts: TopologyFacts;
  port: WizardPort;
  /** Merge these answers (and facts seen on the way) and move to the next screen. */
  onDone: (patch: Partial<Answers>, facts?: Partial<TopologyFacts>) => void;
  /** Names whose values were typed into masked prompts (the values stay in the App). */
  typed: readonly string[];
  /** Keep a typed value for `env` (undefined forgets it); nothing else ever sees it. */
  onTyped: (env: string, value: string | undefined) => void;
  /** Random source for suggested names (tests pass a fixed one). */
  random: () => number;
}
