/**
 * Typed text is right however the keys arrive: one key per read, a burst of backspaces or
 * DELs in one read (a slow machine, ssh), a paste, text and Enter in one read.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import type { Key } from 'ink';
import { editLine, lineAtEnd } from '../../source/ui/line-edit.js';
import { LineInput } from '../../source/ui/line-input.js';
import { MaskedInput } from '../../source/ui/masked-input.js';
import { KEY, waitForFrame, waitForText } from './ink-helpers.js';

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('editLine', () => {
  it.each([
    ['a burst of DELs', 'feathr-kv-ssss', '\u007f'.repeat(5), 'feathr-kv', false],
    ['a burst of BSs', 'abc', '\b\b', 'a', false],
    ['more deletes than text', 'ab', '\u007f'.repeat(9), '', false],
    ['text then deletes then text in one read', 'x', 'yz\u007fw', 'xyw', false],
    ['a paste with a line break inside', '', 'one\ntwo', 'onetwo', false],
    ['text and Enter in one read', 'ab', 'c\r', 'abc', true],
    ['a paste ending in CRLF', '', 'value\r\n', 'value', true],
    ['control bytes dropped', '', 'a\u0007b\u001bc', 'abc', false],
  ])('%s', (_name, before, input, after, submit) => {
    expect(editLine(lineAtEnd(before), input, none)).toMatchObject({ value: after, submit });
  });

  it('inserts and deletes at the cursor', () => {
    let state = lineAtEnd('acd');
    state = editLine(state, '', { ...none, leftArrow: true });
    state = editLine(state, '', { ...none, leftArrow: true });
    state = editLine(state, 'b', none);
    expect(state).toMatchObject({ value: 'abcd', cursor: 2 });
    expect(editLine(state, '', { ...none, delete: true })).toMatchObject({ value: 'acd', cursor: 1 });
  });
});

describe('LineInput and MaskedInput in Ink', () => {
  it('a burst of 14 DELs in one read empties a prefilled field, then typing replaces it', async () => {
    const submitted: string[] = [];
    const app = render(<LineInput defaultValue="feathr-kv-ssss" onSubmit={(v) => submitted.push(v)} />);
    await waitForText(app.lastFrame, 'feathr-kv-ssss');
    app.stdin.write('\u007f'.repeat(14));
    await waitForFrame(app.lastFrame, (f) => !f.includes('feathr'));
    app.stdin.write('kv-new\r');
    await waitForFrame(app.lastFrame, () => submitted.length > 0);
    expect(submitted).toEqual(['kv-new']);
    expect(app.lastFrame()).not.toMatch(/[\u007f\b]/);
  });

  it('the masked input counts a paste, a burst of deletes and a typed Enter right, showing only bullets', async () => {
    const submitted: string[] = [];
    const app = render(<MaskedInput onSubmit={(v) => submitted.push(v)} />);
    app.stdin.write('s3cr3t-paste');
    await waitForText(app.lastFrame, '•'.repeat(12));
    app.stdin.write('\u007f\u007f\u007f\u007f\u007f\u007f');
    await waitForFrame(app.lastFrame, (f) => f.trim() === '•'.repeat(6));
    app.stdin.write('!');
    app.stdin.write(KEY.enter);
    await waitForFrame(app.lastFrame, () => submitted.length > 0);
    expect(submitted).toEqual(['s3cr3t!']);
    expect(app.lastFrame()).not.toContain('s3cr3t');
  });
});
