/**
 * Long lines on a terminal wrap with a hanging indent, so a continuation lines up under the
 * text it continues instead of starting at column 0:
 *
 *   × the vault's firewall admits the configured egress addresses only: node aks-nodes-2
 *     egresses from 20.1.2.3, which the firewall doesn't allow
 *
 * Only for a terminal that reports its width; files, pipes and logs get lines as they are.
 * wrap-ansi keeps colour codes intact across the break.
 */
import wrapAnsi from 'wrap-ansi';

// eslint-disable-next-line no-control-regex -- colour codes start with ESC; finding them is the point
const ANSI = /\u001B\[[0-9;]*m/g;
// A status or plan mark, an ellipsis, then a space: the text proper starts after it.
const MARKED = /^(\s*)(?:[√‼×✓✗!…+~=-] )?/u;

export function wrapForTerminal(text: string, columns: number | undefined): string {
  if (columns === undefined || columns < 20) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string {
  const plain = line.replace(ANSI, '');
  if ([...plain].length <= columns) return line;
  const lead = MARKED.exec(plain)![0];
  const hang = Math.min([...lead].length > 0 ? [...lead].length : 2, Math.floor(columns / 2));
  const indent = ' '.repeat(hang);
  const [first, ...rest] = wrapAnsi(line, columns - hang, { hard: true, trim: false }).split('\n');
  // eslint-disable-next-line no-control-regex -- a continuation may start with colour codes before its spaces
  return [first, ...rest.map((part) => indent + part.replace(/^((?:\u001B\[[0-9;]*m)*) +/, '$1'))].join('\n');
}
