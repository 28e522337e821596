/** A terminal that reports 0 columns gets 80; a very narrow one is told so, and answers survive a resize. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { startRun } from '../../source/ui/run-handle.js';
import { savePresetFile } from '../../source/ui/save-preset.js';
import { withSaneWidth } from '../../source/ui/terminal-width.js';
import { defaultWorldPort, recordingRunner } from './stand-ins.js';
import { KEY, waitForText } from './ink-helpers.js';

describe('terminal width', () => {
  it('a stream reporting 0 columns is seen as 80 wide, and still writes to the real stream', () => {
    let written = '';
    const fake = {
      columns: 0,
      isTTY: true,
      write(chunk: string) {
        written += chunk;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const sane = withSaneWidth(fake);
    expect(sane.columns).toBe(80);
    sane.write('x');
    expect(written).toBe('x');
    (fake as { columns: number }).columns = 132;
    expect(sane.columns).toBe(132);
  });

  it('a very narrow terminal says so; widened again, the session goes on where it was', async () => {
    const runner = recordingRunner();
    const app = render(
      <App
        port={Promise.resolve(defaultWorldPort())}
        random={() => 0.5}
        startRun={(config, prompted) => startRun(runner, config, { prompted })}
        savePreset={(input, path, typedNames) =>
          savePresetFile(input, path, mkdtempSync(join(tmpdir(), 'narrow-')), typedNames)
        }
        onFinish={() => undefined}
      />,
    );
    let width = 100;
    Object.defineProperty(app.stdout, 'columns', { get: () => width, configurable: true });
    await waitForText(app.lastFrame, 'Press enter to start');
    app.stdin.write(KEY.enter);
    await waitForText(app.lastFrame, '? Where does the Feathr cluster run?');
    app.stdin.write(KEY.enter);
    await waitForText(app.lastFrame, '? Azure subscription');
    width = 24;
    app.stdout.emit('resize');
    const narrow = await waitForText(app.lastFrame, 'Too narrow (24 columns)');
    expect(narrow).not.toContain('Azure subscription');
    width = 100;
    app.stdout.emit('resize');
    await waitForText(app.lastFrame, '? Azure subscription');
    app.unmount();
  });
});
