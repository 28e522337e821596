/**
 * Readings of the cluster that one run asks for several times within seconds (the preflight,
 * the plan, the apply, the checks after it): each is read once and shared while it is younger
 * than READING_MS and the tools haven't written anything since that may have changed it. A
 * failed reading isn't kept. Callers that wait for someone else's change ask for a fresh one.
 */
const READING_MS = 10_000;

interface Reading {
  writes: number;
  at: number;
  value: Promise<unknown>;
}

export class Readings {
  // An ES private field: util.inspect and test diffs of the adapter never print what it keeps
  // (a source Secret's values among them).
  readonly #kept = new Map<string, Reading>();

  /** `writesTo(key)`: how many writes so far may have changed the reading `key`. */
  constructor(private readonly writesTo: (key: string) => number) {}

  read<T>(key: string, load: () => Promise<T>, options: { fresh?: boolean } = {}): Promise<T> {
    const kept = this.#kept.get(key);
    // Each caller gets its own copy: one that edits what it got can't change another's reading.
    if (!options.fresh && kept && kept.writes === this.writesTo(key) && Date.now() - kept.at < READING_MS)
      return (kept.value as Promise<T>).then((v) => structuredClone(v));
    const value = load();
    const reading = { writes: this.writesTo(key), at: Date.now(), value };
    this.#kept.set(key, reading);
    value.catch(() => {
      if (this.#kept.get(key) === reading) this.#kept.delete(key);
    });
    return value.then((v) => structuredClone(v));
  }

  /** Keeps what a write just made known (a namespace created, a release installed) as a fresh reading. */
  keep<T>(key: string, value: T): void {
    this.#kept.set(key, { writes: this.writesTo(key), at: Date.now(), value: Promise.resolve(structuredClone(value)) });
  }

  /** Drops every reading. */
  forgetAll(): void {
    this.#kept.clear();
  }

  /** Drops a reading that turned out not worth keeping (e.g. a cluster that didn't answer). */
  forget(key: string): void {
    this.#kept.delete(key);
  }
}
