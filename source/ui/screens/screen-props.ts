/** What every question screen receives, and the one way it answers. */
import type { Answers } from '../answers.js';
import type { TopologyFacts } from '../topology-model.js';
import type { WizardPort } from '../wizard-port.js';

export interface ScreenProps {
  answers: Answers;
  facts: TopologyFacts;
  port: WizardPort;
  /** Merge these answers (and facts seen on the way) and move to the next screen. */
  onDone: (patch: Partial<Answers>, facts?: Partial<TopologyFacts>) => void;
  /** Random source for suggested names (tests pass a fixed one). */
  random: () => number;
}
