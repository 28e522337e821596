/** Topology, subscription, resource group and location: the questions every run starts with. */
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import type { ScreenProps } from './screen-props.js';

export function TopologyScreen({ answers, onDone }: ScreenProps) {
  return (
    <Question
      title="Where does the Feathr cluster run?"
      notes={['The vault is always in Azure; this decides how the cluster reaches it.']}
    >
      <Picker
        defaultValue={answers.target ?? 'azure'}
        options={[
          { label: 'Azure (AKS)', value: 'azure', hint: 'private endpoint, no public access' },
          { label: 'Another cloud or on-premises', value: 'other-cloud', hint: 'public endpoint, IP firewall' },
        ]}
        onSubmit={(target) => onDone({ target })}
      />
    </Question>
  );
}

export function SubscriptionScreen({ answers, port, onDone }: ScreenProps) {
  const loaded = useLoad(() => port.subscriptions(), [port]);
  return (
    <LoadGate loaded={loaded} what="subscriptions">
      {(subs) => (
        <Question title="Azure subscription">
          <Picker
            defaultValue={answers.subscriptionId}
            options={subs.map((s) => ({ label: s.name, value: s.id, hint: s.id }))}
            onSubmit={(subscriptionId) => onDone({ subscriptionId })}
          />
        </Question>
      )}
    </LoadGate>
  );
}

export function ResourceGroupScreen({ answers, port, onDone }: ScreenProps) {
  const loaded = useLoad(() => port.resourceGroups(), [port]);
  return (
    <LoadGate loaded={loaded} what="resource groups">
      {(groups) => {
        const preferred =
          answers.resourceGroup ?? groups.find((g) => g.name.includes('feathr'))?.name ?? groups[0]?.name;
        return (
          <Question title="Resource group for the vault and its network parts">
            <Picker
              defaultValue={preferred}
              options={groups.map((g) => ({ label: g.name, value: g.name, hint: g.location }))}
              onSubmit={(resourceGroup) => {
                const location = groups.find((g) => g.name === resourceGroup)?.location;
                onDone({ resourceGroup, ...(answers.location ? {} : location ? { location } : {}) });
              }}
            />
          </Question>
        );
      }}
    </LoadGate>
  );
}

export function LocationScreen({ answers, port, onDone }: ScreenProps) {
  const loaded = useLoad(() => port.locations(), [port]);
  return (
    <LoadGate loaded={loaded} what="locations">
      {(locations) => (
        <Question title="Azure region for the vault" notes={['Default: the resource group’s region.']}>
          <Picker
            defaultValue={answers.location}
            options={locations.map((l) => ({ label: l, value: l }))}
            onSubmit={(location) => onDone({ location })}
          />
        </Question>
      )}
    </LoadGate>
  );
}
