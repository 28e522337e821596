/**
 * The vault: a new one (name checked as you type with the schema's own rule, then asked of
 * Azure; a soft-deleted name is explained and recovery offered) or an existing one.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import { vaultNameProblems } from '../../domain/vault-name.js';
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import type { ScreenProps } from './screen-props.js';
import type { DeletedVaultInfo } from '../../discovery/port.js';
import { BackScope } from '../back-scope.js';

function suggestedVaultName(random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let suffix = '';
  for (let i = 0; i < 4; i += 1) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return `feathr-kv-${suffix}`;
}

export function VaultKindScreen({ answers, onDone }: ScreenProps) {
  return (
    <Question title="Key Vault">
      <Picker
        defaultValue={answers.vault?.create === false ? 'existing' : 'new'}
        options={[
          { label: 'Create a new vault', value: 'new' },
          { label: 'Use a vault that exists', value: 'existing' },
        ]}
        onSubmit={(kind) => onDone({ vault: { name: answers.vault?.name ?? '', create: kind === 'new' } })}
      />
    </Question>
  );
}

export function VaultNameScreen({ answers, port, onDone, random }: ScreenProps) {
  const [initial] = useState(
    () => (answers.vault?.create !== false && answers.vault?.name) || suggestedVaultName(random),
  );
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [deleted, setDeleted] = useState<DeletedVaultInfo>();
  const submit = (name: string) => {
    setBusy(true);
    port.checkVaultName(name).then(
      (check) => {
        setBusy(false);
        if (check.available) onDone({ vault: { name, create: true } });
        else if (check.deleted) setDeleted(check.deleted);
        else
          setProblem(`${name} is taken: ${check.message ?? 'vault names are global across Azure'}. Try another name.`);
      },
      (error: unknown) => {
        setBusy(false);
        setProblem(`Can't check the name: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
  if (deleted) {
    const until = deleted.scheduledPurgeDate ? ` until ${deleted.scheduledPurgeDate.slice(0, 10)}` : '';
    return (
      <BackScope onBack={() => setDeleted(undefined)}>
        <Question
          title={`${deleted.name} was deleted and is kept in soft-deleted state${until}`}
          notes={[
            'Its name can’t be used for a new vault until then.',
            deleted.purgeProtection
              ? 'Purge protection is on, so it can’t be purged early.'
              : 'Recovering brings back the vault and its secrets.',
          ]}
        >
          <Picker
            options={[
              { label: `Recover ${deleted.name} and use it`, value: 'recover' },
              { label: 'Choose another name', value: 'other' },
            ]}
            onSubmit={(choice) =>
              choice === 'recover'
                ? onDone({ vault: { name: deleted.name, create: true, recover: true } })
                : setDeleted(undefined)
            }
          />
        </Question>
      </BackScope>
    );
  }
  return (
    <TextQuestion
      title="Name of the new vault"
      notes={['3-24 letters, digits and -; unique across all of Azure.']}
      defaultValue={initial}
      validate={(name) => {
        const problems = vaultNameProblems(name);
        return problems.length > 0 ? `The name ${problems.join('; ')}.` : undefined;
      }}
      externalProblem={problem}
      busy={busy ? 'Checking whether the name is free…' : undefined}
      onSubmit={submit}
    />
  );
}

export function VaultExistingScreen({ answers, port, onDone }: ScreenProps) {
  const loaded = useLoad(() => port.vaults(), [port]);
  const [picked, setPicked] = useState<{ name: string; resourceGroup: string }>();
  if (picked) {
    // Locking down a vault someone else may use needs the operator's explicit yes.
    return (
      <Question
        title={`Lock down ${picked.name}?`}
        notes={[
          'The setup turns off its public network access (or, for another cloud, denies all but the allowlisted addresses).',
          'It existed before: whoever else reaches it over the public network loses access.',
        ]}
      >
        <Picker
          options={[
            { label: `Yes, lock down ${picked.name}`, value: 'yes' },
            { label: 'No, choose another vault', value: 'no' },
          ]}
          onSubmit={(choice) =>
            choice === 'yes'
              ? onDone({
                  vault: { name: picked.name, create: false },
                  resourceGroup: picked.resourceGroup,
                  lockDownExistingVault: true,
                })
              : setPicked(undefined)
          }
        />
      </Question>
    );
  }
  return (
    <LoadGate loaded={loaded} what="vaults">
      {(vaults) =>
        vaults.length === 0 ? (
          <Box flexDirection="column">
            <Text>No vault exists in this subscription. Press esc to go back and create one.</Text>
          </Box>
        ) : (
          <Question title="Which vault?">
            <Picker
              defaultValue={answers.vault?.name}
              options={vaults.map((v) => ({
                label: v.name,
                value: v.name,
                hint: `${v.resourceGroup}${v.location ? `, ${v.location}` : ''}`,
              }))}
              onSubmit={(name) => {
                const vault = vaults.find((v) => v.name === name)!;
                // The vault's resource group is where the preset says the vault lives.
                setPicked({ name, resourceGroup: vault.resourceGroup });
              }}
            />
          </Question>
        )
      }
    </LoadGate>
  );
}
