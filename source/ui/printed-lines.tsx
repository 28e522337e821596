/**
 * Lines printed once above the live area and never redrawn (finished steps scroll up like
 * terraform's output), through the session's one <Static>, which stays mounted for the whole
 * session. Ink 6.8 keeps a reference to the last <Static> it created and lays it out on every
 * frame, even after that <Static> unmounted and Yoga freed its node (vadimdemedes/ink#904):
 * once the freed memory is reused, the frame is laid out at sizes like 1e-41 x 1e25 and
 * building it fills the heap. A <Static> per screen (the progress view's, gone when the result
 * shows) did exactly that; one for the session never unmounts before the session ends.
 */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Static } from 'ink';

/** One printed block; `key` is unique for the session, so a line is printed once. */
export interface PrintedLine {
  key: string;
  node: ReactNode;
}

const PrintContext = createContext<((lines: readonly PrintedLine[]) => void) | undefined>(undefined);

export function PrintedLines({ children }: { children: ReactNode }) {
  const [lines, setLines] = useState<PrintedLine[]>([]);
  const print = useCallback((next: readonly PrintedLine[]) => {
    setLines((current) => {
      const known = new Set(current.map((line) => line.key));
      const fresh = next.filter((line) => !known.has(line.key));
      return fresh.length > 0 ? [...current, ...fresh] : current;
    });
  }, []);
  return (
    <PrintContext.Provider value={print}>
      <Static items={lines}>{(line) => <PrintedBlock key={line.key} node={line.node} />}</Static>
      {children}
    </PrintContext.Provider>
  );
}

function PrintedBlock({ node }: { node: ReactNode }) {
  return <>{node}</>;
}

/** The session's print function, or undefined outside a session (a view rendered on its own). */
export function usePrint(): ((lines: readonly PrintedLine[]) => void) | undefined {
  return useContext(PrintContext);
}
