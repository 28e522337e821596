/**
 * Picking an existing vault in the wizard asks before locking it down (others may use it);
 * yes becomes network.lockDownExistingVault in the configuration, no goes back to the list.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { VaultExistingScreen } from '../../source/ui/screens/vault-screens.js';
import { toConfigInput } from '../../source/ui/answers.js';
import type { Answers } from '../../source/discovery/port.js';
import { KEY, waitForFrame, waitForText } from './ink-helpers.js';
import { defaultWorldPort } from './stand-ins.js';

function screen() {
  const done: Partial<Answers>[] = [];
  const app = render(
    <VaultExistingScreen
      answers={{ target: 'azure' }}
      facts={{}}
      port={defaultWorldPort()}
      onDone={(patch) => void done.push(patch)}
      typed={[]}
      onTyped={() => undefined}
      random={() => 0}
    />,
  );
  return { app, done };
}

describe('confirming the lock-down of an existing vault', () => {
  it('asks, and yes sets network.lockDownExistingVault', async () => {
    const { app, done } = screen();
    await waitForText(app.lastFrame, 'feathr-kv-live');
    app.stdin.write(KEY.enter);
    await waitForText(app.lastFrame, 'Lock down feathr-kv-live?');
    expect(app.lastFrame()).toContain('whoever else reaches it over the public network loses access');
    app.stdin.write(KEY.enter);
    await expect.poll(() => done.length).toBe(1);
    expect(done[0]).toMatchObject({ vault: { name: 'feathr-kv-live', create: false }, lockDownExistingVault: true });
    expect(toConfigInput({ target: 'azure', ...done[0] }).network).toMatchObject({ lockDownExistingVault: true });
    app.unmount();
  });

  it('no goes back to the list without choosing', async () => {
    const { app, done } = screen();
    await waitForText(app.lastFrame, 'feathr-kv-live');
    app.stdin.write(KEY.enter);
    await waitForText(app.lastFrame, 'Lock down feathr-kv-live?');
    app.stdin.write(KEY.down);
    await waitForFrame(app.lastFrame, (f) => f.includes('❯ No, choose another vault'));
    app.stdin.write(KEY.enter);
    await waitForText(app.lastFrame, 'Which vault?');
    expect(done).toEqual([]);
    app.unmount();
  });
});
