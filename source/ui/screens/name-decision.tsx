/**
 * One blocking secret-name problem and the ways out: a collision (names equal in Key Vault)
 * is resolved by renaming one in the vault; a conflict (one name, different values in two
 * sources) by letting the later source win, or by dropping a source or a typed value.
 * Messages name the sources, never a value.
 */
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import type { NameProblem } from '../../domain/secret-names.js';
import { TYPED_SOURCE } from '../typed-secrets.js';

interface DecisionProps {
  problem: NameProblem;
  left: number;
  onRename: (env: string) => void;
  onLaterWins: () => void;
  /** Drop a source (or, for the typed values, the typed value of `env`). */
  onDrop: (sourceLabel: string, env: string) => void;
  /** A source can be dropped only while another one is left (a preset needs one). */
  canDrop: boolean;
}

/** One blocking name problem and the ways out: rename (collision), later-wins or drop a source (conflict). */
export function NameDecision({ problem, left, onRename, onLaterWins, onDrop, canDrop }: DecisionProps) {
  const notes = [problem.message, `${left} problem${left === 1 ? '' : 's'} left.`];
  if (problem.kind === 'duplicate') {
    const last = problem.sources[problem.sources.length - 1]!;
    return (
      <Question title="A secret name needs a decision" notes={[`${problem.env} has different values in ${problem.sources.join(' and ')}.`, ...notes.slice(1)]}>
        <Picker
          options={[
            { label: `Use the later source (${last}) wherever two sources differ`, value: 'later' },
            ...problem.sources.filter((s) => s === TYPED_SOURCE || canDrop).map((s) => ({ label: s === TYPED_SOURCE ? `Forget the value of ${problem.env} typed here` : `Drop ${s} as a source`, value: s })),
          ]}
          onSubmit={(choice) => (choice === 'later' ? onLaterWins() : onDrop(choice, problem.env))}
        />
      </Question>
    );
  }
  const involved = problem.kind === 'collision' ? problem.entries.map((e) => e.env) : [problem.env];
  return (
    <Question title="A secret name needs a decision" notes={notes}>
      <Picker options={involved.map((env) => ({ label: `Rename ${env} in the vault`, value: env }))} onSubmit={onRename} />
    </Question>
  );
}
