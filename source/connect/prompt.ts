/**
 * The one terminal question of the preset commands (approval, the typed vault name): plain
 * readline on stderr, so stdout stays the command's output. Only asked on a terminal.
 */
export async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** Asks and reads "yes" (any case, surrounding blanks ignored) as the only way to go ahead. */
export async function askYes(question: string): Promise<boolean> {
  return (await ask(question)).trim().toLowerCase() === 'yes';
}
