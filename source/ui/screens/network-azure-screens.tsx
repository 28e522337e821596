/**
 * Azure network: the AKS cluster (its VNet discovered, never typed), the VNet that holds the
 * private endpoint (overlap with the cluster VNet checked, because peering refuses it), and
 * the endpoint subnet, picked or created with a free prefix suggested.
 */
import { useState } from 'react';
import { overlaps, subnetPrefixProblem, suggestSubnetPrefix } from '../../domain/cidr.js';
import { Picker } from '../picker.js';
import { BackScope } from '../back-scope.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import type { ScreenProps } from './screen-props.js';
import type { VnetInfo } from '../../discovery/port.js';

export function AksScreen({ answers, port, onDone }: ScreenProps) {
  const loaded = useLoad(() => port.aksClusters(), [port]);
  return (
    <LoadGate loaded={loaded} what="AKS clusters">
      {(clusters) => (
        <Question
          title="AKS cluster Feathr runs on"
          notes={clusters.length === 0 ? ['No AKS cluster is in this subscription.'] : []}
        >
          <Picker
            defaultValue={answers.aks?.name}
            options={clusters.map((c) => ({
              label: c.name,
              value: c.name,
              hint: `${c.resourceGroup}${c.vnet ? `, VNet ${c.vnet.name} ${c.vnet.addressSpace.join(', ')}` : ''}`,
            }))}
            onSubmit={(name) => {
              const aks = clusters.find((c) => c.name === name)!;
              onDone({ aks: { resourceGroup: aks.resourceGroup, name: aks.name } }, { aks });
            }}
          />
        </Question>
      )}
    </LoadGate>
  );
}

function overlapProblem(vnet: VnetInfo, clusterVnet: VnetInfo | undefined): string | undefined {
  if (!clusterVnet || vnet.id.toLowerCase() === clusterVnet.id.toLowerCase()) return undefined;
  for (const a of vnet.addressSpace) {
    for (const b of clusterVnet.addressSpace) {
      if (overlaps(a, b)) return `${vnet.name} ${a} overlaps ${clusterVnet.name} ${b}; peering them is impossible`;
    }
  }
  return undefined;
}

export function EndpointVnetScreen({ answers, facts, port, onDone }: ScreenProps) {
  const group = answers.resourceGroup ?? '';
  const loaded = useLoad(() => port.vnets(group), [port, group]);
  const [problem, setProblem] = useState<string>();
  const clusterVnet = facts.aks?.vnet;
  return (
    <LoadGate loaded={loaded} what={`VNets in ${group}`}>
      {(vnets) => {
        const all =
          clusterVnet && !vnets.some((v) => v.id.toLowerCase() === clusterVnet.id.toLowerCase())
            ? [...vnets, clusterVnet]
            : vnets;
        // Prefer a separate VNet that can be peered; the cluster's own VNet needs no peering.
        const preferred =
          answers.privateEndpoint?.vnet ??
          all.find((v) => v.id !== clusterVnet?.id && !overlapProblem(v, clusterVnet))?.name ??
          clusterVnet?.name;
        return (
          <Question
            title="VNet for the vault's private endpoint"
            notes={
              clusterVnet
                ? [`The cluster's nodes are in VNet ${clusterVnet.name} ${clusterVnet.addressSpace.join(', ')}.`]
                : []
            }
            problem={problem}
          >
            <Picker
              defaultValue={preferred}
              options={all.map((v) => ({
                label: v.name,
                value: v.name,
                hint: `${v.addressSpace.join(', ')}${v.id === clusterVnet?.id ? ', the cluster VNet' : ''}${overlapProblem(v, clusterVnet) ? ', overlaps the cluster VNet' : ''}`,
              }))}
              onSubmit={(name) => {
                const vnet = all.find((v) => v.name === name)!;
                const overlap = overlapProblem(vnet, clusterVnet);
                if (overlap) return setProblem(`${overlap}. Pick another VNet.`);
                const sameGroup = vnet.resourceGroup.toLowerCase() === group.toLowerCase();
                onDone(
                  {
                    privateEndpoint: {
                      vnet: vnet.name,
                      subnet: '',
                      ...(sameGroup ? {} : { resourceGroup: vnet.resourceGroup }),
                    },
                  },
                  { endpointVnet: vnet },
                );
              }}
            />
          </Question>
        );
      }}
    </LoadGate>
  );
}

const NEW = '\u0000new';

export function SubnetScreen({ answers, facts, onDone }: ScreenProps) {
  const vnet = facts.endpointVnet;
  const pe = answers.privateEndpoint;
  // Coming back (esc from the next screen) lands on the last step answered here: the range of a
  // subnet to create, or the list a subnet was picked from.
  const creating =
    pe?.subnet !== undefined && pe.subnet !== '' && !(vnet?.subnets ?? []).some((s) => s.name === pe.subnet);
  const [stage, setStage] = useState<'pick' | 'name' | 'prefix'>(
    creating && pe?.addressPrefix ? 'prefix' : vnet && vnet.subnets.length > 0 ? 'pick' : 'name',
  );
  const [name, setName] = useState(pe?.subnet || 'kv-endpoints');
  if (!vnet || !pe) return null;
  const done = (subnet: string, addressPrefix?: string) =>
    onDone({ privateEndpoint: { ...pe, subnet, ...(addressPrefix ? { addressPrefix } : {}) } });
  if (stage === 'pick') {
    return (
      <Question title={`Subnet in ${vnet.name} for the private endpoint`}>
        <Picker
          options={[
            ...vnet.subnets.map((s) => ({ label: s.name, value: s.name, hint: s.addressPrefix })),
            { label: 'Create a new subnet', value: NEW },
          ]}
          onSubmit={(choice) => (choice === NEW ? setStage('name') : done(choice))}
        />
      </Question>
    );
  }
  const canPick = vnet.subnets.length > 0;
  if (stage === 'name') {
    const question = (
      <TextQuestion
        key="name"
        title={`Name of the new subnet in ${vnet.name}`}
        defaultValue={name}
        validate={(n) =>
          !/^[\w][-\w.]{0,78}[\w]$/.test(n)
            ? 'Use 2-80 letters, digits, -, _ or ., starting and ending with a letter or digit.'
            : vnet.subnets.some((s) => s.name.toLowerCase() === n.toLowerCase())
              ? `${n} exists already; press esc and pick it, or choose another name.`
              : undefined
        }
        onSubmit={(n) => {
          setName(n);
          setStage('prefix');
        }}
      />
    );
    // With subnets to pick from, esc returns to that list; without, to the previous screen.
    return canPick ? <BackScope onBack={() => setStage('pick')}>{question}</BackScope> : question;
  }
  const suggested = pe.addressPrefix ?? suggestSubnetPrefix(vnet.addressSpace, vnet.subnets) ?? '';
  return (
    <BackScope onBack={() => setStage('name')}>
      <TextQuestion
        key="prefix"
        title={`Address range of subnet ${name}`}
        notes={[
          `VNet ${vnet.name} has ${vnet.addressSpace.join(', ')}; taken: ${
            vnet.subnets
              .map((s) => s.addressPrefix)
              .filter(Boolean)
              .join(', ') || 'nothing'
          }.`,
        ]}
        defaultValue={suggested}
        validate={(p) => {
          const problem = subnetPrefixProblem(p, vnet.addressSpace, vnet.subnets);
          return problem ? `${p} ${problem}.` : undefined;
        }}
        onSubmit={(prefix) => done(name, prefix)}
      />
    </BackScope>
  );
}
