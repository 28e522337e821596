/**
 * Where events go: text lines (stdout, failures on stderr) or NDJSON on stdout, plus an
 * optional log file that always gets the plain text form. Events never carry secret values,
 * so nothing here has to redact.
 */
import { appendFileSync } from 'node:fs';
import type { EngineEvent } from '../kernel/events.js';
import type { CliIo, OutputMode } from './io.js';
import { colorEnabled, createStyle } from './style.js';
import { renderEventText } from './text-renderer.js';
import { wrapForTerminal } from './wrap.js';

export interface Reporter {
  readonly mode: OutputMode;
  emit(event: EngineEvent): void;
}

export function createReporter(mode: OutputMode, io: CliIo, logFile?: string): Reporter {
  const outStyle = createStyle(colorEnabled(io.env, io.stdout, mode));
  const errStyle = createStyle(colorEnabled(io.env, io.stderr, mode));
  const plain = createStyle(false);
  return {
    mode,
    emit(event) {
      if (logFile) {
        const { lines } = renderEventText(event, plain);
        if (lines.length > 0)
          appendFileSync(logFile, `${new Date().toISOString()} ${lines.join('\n  ')}\n`, { mode: 0o600 });
      }
      if (mode === 'json') {
        io.stdout.write(`${JSON.stringify(event)}\n`);
        return;
      }
      const toStderr = renderEventText(event, plain).stderr;
      const { lines } = renderEventText(event, toStderr ? errStyle : outStyle);
      const stream = toStderr ? io.stderr : io.stdout;
      if (lines.length > 0)
        stream.write(`${wrapForTerminal(lines.join('\n'), stream.isTTY ? stream.columns : undefined)}\n`);
    },
  };
}
