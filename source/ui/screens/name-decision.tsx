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
  /** Read the sources again, after the user fixed a name in its source. */
  onReload: () => void;
}

/** One blocking name problem and the ways out: rename (collision), later-wins or drop a source (conflict). */
export function NameDecision({ problem, left, onRename, onLaterWins, onDrop, canDrop, onReload }: DecisionProps) {
  // Counted as what is left after this one: a partly fixed problem (three names colliding, one
  // renamed) stays the same problem, so "1 problem left" would repeat on the next screen.
  const notes = [
    problem.message,
    left === 1
      ? 'This is the last name problem.'
      : `${left - 1} more name problem${left === 2 ? '' : 's'} after this one.`,
  ];
  if (problem.kind === 'duplicate') {
    const last = problem.sources[problem.sources.length - 1]!;
    return (
      <Question
        title="A secret name needs a decision"
        notes={[`${problem.env} has different values in ${problem.sources.join(' and ')}.`, ...notes.slice(1)]}
      >
        <Picker
          options={[
            { label: `Use the later source (${last}) wherever two sources differ`, value: 'later' },
            ...problem.sources
              .filter((s) => s === TYPED_SOURCE || canDrop)
              .map((s) => ({
                label: s === TYPED_SOURCE ? `Forget the value of ${problem.env} typed here` : `Drop ${s} as a source`,
                value: s,
              })),
          ]}
          onSubmit={(choice) => (choice === 'later' ? onLaterWins() : onDrop(choice, problem.env))}
        />
      </Question>
    );
  }
  if (problem.kind === 'invalid-name' && !problem.byRename) {
    // The pod name itself is wrong: only the source can change it (a rename picks the vault name).
    const fix = problem.suggestion
      ? `Rename ${problem.env} in ${problem.source} (e.g. to ${problem.suggestion}), then read the sources again.`
      : `Rename ${problem.env} in ${problem.source}, then read the sources again.`;
    return (
      <Question title="A secret name needs a decision" notes={[...notes, fix]}>
        <Picker
          options={[
            { label: 'Read the sources again', value: 'reload' },
            ...(problem.source === TYPED_SOURCE
              ? [{ label: `Forget the value of ${problem.env} typed here`, value: problem.source }]
              : canDrop
                ? [{ label: `Drop ${problem.source} as a source`, value: problem.source }]
                : []),
          ]}
          onSubmit={(choice) => (choice === 'reload' ? onReload() : onDrop(choice, problem.env))}
        />
      </Question>
    );
  }
  const involved = problem.kind === 'collision' ? problem.entries.map((e) => e.env) : [problem.env];
  return (
    <Question title="A secret name needs a decision" notes={notes}>
      <Picker
        options={involved.map((env) => ({ label: `Rename ${env} in the vault`, value: env }))}
        onSubmit={onRename}
      />
    </Question>
  );
}
