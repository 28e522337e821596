/**
 * Esc goes back exactly one screen, from every screen, in both topologies. The walk goes
 * forward screen by screen (sub-steps of a screen count as screens: the CSI driver then
 * rotation, a subnet's name then its range, a source kind then its path, a rename); on each
 * one it presses esc, expects the screen before it, and goes forward again with Enter (the
 * earlier answer is where the cursor or text starts, so Enter repeats it).
 */
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { startRun } from '../../source/ui/run-handle.js';
import { savePresetFile } from '../../source/ui/save-preset.js';
import { defaultWorldPort, recordingRunner } from './stand-ins.js';
import { KEY, waitForFrame } from './ink-helpers.js';
import { AZURE_DEFAULT_SCREENS, otherCloudFirstScreens } from './wizard-screens.js';
import { testTempDir } from '../helpers/temp-dir.js';

/** A screen: text only it shows (its title), and the keys that answer it the first time. */
type Screen = [title: string, keys?: string];

function session(port = defaultWorldPort()) {
  const runner = recordingRunner();
  const dir = testTempDir('wizard-esc-');
  return render(
    <App
      port={Promise.resolve(port)}
      random={() => 0.5}
      startRun={(config, prompted) => startRun(runner, config, { prompted })}
      savePreset={(input, path, typedNames) => savePresetFile(input, path, dir, typedNames)}
      onFinish={() => undefined}
    />,
  );
}

async function walk(app: ReturnType<typeof session>, screens: Screen[]): Promise<string[]> {
  const visited: string[] = [];
  const shows = (title: string) => (frame: string) => frame.includes(title);
  for (const [i, [title, keys = KEY.enter]] of screens.entries()) {
    await waitForFrame(app.lastFrame, shows(title), 8000);
    if (i > 0) {
      const [before] = screens[i - 1]!;
      app.stdin.write(KEY.escape);
      const back = await waitForFrame(app.lastFrame, (f) => f.includes(before) && !f.includes(title), 8000).catch(
        () => app.lastFrame() ?? '',
      );
      expect(back, `esc on "${title}" should show "${before}"`).toContain(before);
      expect(back, `esc on "${title}" left it on screen`).not.toContain(title);
      app.stdin.write(KEY.enter);
      await waitForFrame(app.lastFrame, shows(title), 8000);
    }
    visited.push(title);
    if (i < screens.length - 1) for (const key of keys.match(/\u001B\[[AB]|[\s\S]/g) ?? []) app.stdin.write(key);
  }
  return visited;
}

describe('esc goes back exactly one screen', () => {
  it('azure: every screen from the welcome to the plan review', async () => {
    const app = session();
    const screens: Screen[] = AZURE_DEFAULT_SCREENS.map((title) => [title]);
    expect(await walk(app, screens)).toHaveLength(screens.length);
    app.unmount();
  }, 120_000);

  it('other cloud: workload identity, a .env file and a collision renamed', async () => {
    const app = session(defaultWorldPort({ envFileNames: ['FEATHRCI_HOST', 'CONN_STR', 'conn_str'] }));
    const screens: Screen[] = [
      ...otherCloudFirstScreens(`${KEY.down}${KEY.enter}`),
      ['? Identity the Feathr pods use'],
      ['? Name of the managed identity'],
      ['? Watch the path to the vault from inside the cluster?'],
      ["? Where are Feathr's secrets now?", `${KEY.down}${KEY.enter}`],
      ['? Path of the .env file'],
      ['? A secret name needs a decision'],
      ['? New vault name for CONN_STR'],
      ['? Secrets to migrate: 3'],
      ['Apply this plan?'],
    ];
    expect(await walk(app, screens)).toHaveLength(screens.length);
    app.unmount();
  }, 120_000);

  it('other cloud: a service principal (client id, then the secret variable)', async () => {
    const app = session();
    const screens: Screen[] = [
      ...otherCloudFirstScreens(`${KEY.down}${KEY.enter}`),
      ['? Identity the Feathr pods use', `${KEY.down}${KEY.enter}`],
      ['? Client id (application id)', `00000000-0000-0000-0000-00000000b002${KEY.enter}`],
      ['? Environment variable that holds its client secret'],
      ['? Watch the path to the vault from inside the cluster?'],
      ["? Where are Feathr's secrets now?"],
    ];
    expect(await walk(app, screens)).toHaveLength(screens.length);
    app.unmount();
  }, 120_000);
});
