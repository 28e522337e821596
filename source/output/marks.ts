/**
 * The one set of status marks, for the CLI's lines and tables and the wizard's screens alike.
 * The mark carries the status by its shape, so it reads the same with NO_COLOR, in a log file
 * and on a screen reader; the glyphs are in the old console code page too (cp437).
 */
export const MARK = { pass: '√', warn: '‼', fail: '×', skip: '-' } as const;
