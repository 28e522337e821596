/**
 * One line of typed text, edited by whatever a key read delivers. Ink hands over a whole read
 * at once when it holds no escape sequence, so on a slow machine (or over ssh) three
 * backspaces arrive as one "\x7f\x7f\x7f" input, a fast "x⏎" as "x\r", and a paste as one
 * string. Each character is applied in order: DEL and BS delete one, CR or LF at the end
 * submits, other control characters are dropped, the rest is inserted at the cursor.
 */
import type { Key } from 'ink';

export interface LineState {
  value: string;
  /** Cursor position in code points, 0..length. */
  cursor: number;
}

export interface LineEdit extends LineState {
  submit: boolean;
}

export function lineAtEnd(value: string): LineState {
  return { value, cursor: [...value].length };
}

export function editLine(state: LineState, input: string, key: Key): LineEdit {
  let chars = [...state.value];
  let cursor = Math.min(state.cursor, chars.length);
  const done = (submit = false): LineEdit => ({ value: chars.join(''), cursor, submit });
  if (key.return) return done(true);
  if (key.leftArrow) return { ...state, cursor: Math.max(0, cursor - 1), submit: false };
  if (key.rightArrow) return { ...state, cursor: Math.min(chars.length, cursor + 1), submit: false };
  if (key.home || (key.ctrl && input === 'a')) return { ...state, cursor: 0, submit: false };
  if (key.end || (key.ctrl && input === 'e')) return { ...state, cursor: chars.length, submit: false };
  if (key.backspace || key.delete) {
    // Ink names a lone DEL (what the backspace key sends) "delete": both delete backwards.
    if (cursor > 0) {
      chars.splice(cursor - 1, 1);
      cursor -= 1;
    }
    return done();
  }
  if (key.ctrl && input === 'u') {
    chars = chars.slice(cursor);
    cursor = 0;
    return done();
  }
  if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown)
    return done();
  const typed = [...input];
  for (const [i, ch] of typed.entries()) {
    if (ch === '\u007f' || ch === '\b') {
      if (cursor > 0) {
        chars.splice(cursor - 1, 1);
        cursor -= 1;
      }
    } else if (ch === '\r' || ch === '\n') {
      // A line break ends the line only as the read's last key; inside a paste it is dropped.
      if (typed.slice(i + 1).every((c) => c === '\r' || c === '\n')) return done(true);
    } else if (ch >= ' ' && ch !== '\u007f' && !/[\u0080-\u009f]/.test(ch)) {
      chars.splice(cursor, 0, ch);
      cursor += 1;
    }
  }
  return done();
}
