/**
 * Whether the release carries the kv-monitor: the CSI driver reads the vault only when a pod
 * starts, so a path that broke since stays unseen until a restart can't mount; the monitor
 * checks it on schedule from inside the cluster. On by default.
 */
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import type { ScreenProps } from './screen-props.js';

const SCHEDULE = '*/5 * * * *';

export function MonitorScreen({ answers, onDone }: ScreenProps) {
  return (
    <Question
      title="Watch the path to the vault from inside the cluster?"
      notes={[
        'A CronJob in the Feathr release runs the same probe as `check` every 5 minutes, as Feathr\u2019s pods.',
        'Failures become Warning Events on the SecretProviderClass and Prometheus alerts; `check` shows the history.',
      ]}
    >
      <Picker
        defaultValue={answers.monitor?.enabled === false ? 'off' : 'on'}
        options={[
          { label: 'On, every 5 minutes', value: 'on', hint: 'recommended' },
          { label: 'Off', value: 'off' },
        ]}
        onSubmit={(choice) =>
          onDone({ monitor: { enabled: choice === 'on', schedule: answers.monitor?.schedule ?? SCHEDULE } })
        }
      />
    </Question>
  );
}
