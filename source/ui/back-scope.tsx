/**
 * Esc goes back exactly one screen. A question screen that asks in several steps (the CSI
 * driver, then rotation; a subnet name, then its range; a source kind, then its path) wraps
 * each later step in <BackScope onBack={...}>, and esc runs the innermost scope's handler;
 * with no scope open, the App goes back to the previous question. Scopes nest (a source
 * picker inside the mapping screen), and the deepest one wins.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';

interface Registry {
  add(entry: Entry): () => void;
}

interface Entry {
  depth: number;
  order: number;
  back: () => void;
}

const RegistryContext = createContext<Registry | undefined>(undefined);
const DepthContext = createContext(0);

/** The App's half: a registry, and a function that runs the deepest scope's handler if any. */
export function useBackRegistry(): { registry: Registry; backInScope: () => boolean } {
  const entries = useRef(new Set<Entry>());
  const counter = useRef(0);
  const registry = useRef<Registry>({
    add(entry) {
      entry.order = ++counter.current;
      entries.current.add(entry);
      return () => entries.current.delete(entry);
    },
  }).current;
  const backInScope = () => {
    let best: Entry | undefined;
    for (const entry of entries.current) {
      if (!best || entry.depth > best.depth || (entry.depth === best.depth && entry.order > best.order)) best = entry;
    }
    best?.back();
    return best !== undefined;
  };
  return { registry, backInScope };
}

export function BackRegistryProvider({ registry, children }: { registry: Registry; children: ReactNode }) {
  return <RegistryContext.Provider value={registry}>{children}</RegistryContext.Provider>;
}

export function BackScope({ onBack, children }: { onBack: () => void; children: ReactNode }) {
  const registry = useContext(RegistryContext);
  const depth = useContext(DepthContext) + 1;
  const handler = useRef(onBack);
  handler.current = onBack;
  useEffect(() => registry?.add({ depth, order: 0, back: () => handler.current() }), [registry, depth]);
  return <DepthContext.Provider value={depth}>{children}</DepthContext.Provider>;
}
