import type { ComponentType, ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { Banner } from './Banner';

export interface LazyScreen<P> {
  (props: P): ReactNode;
  /** Starts loading the screen's chunk (once); resolves when it can be shown without waiting. */
  preload: () => Promise<unknown>;
}

/**
 * A screen in a chunk of its own, loaded the first time it is opened or earlier by `preload`.
 *
 * Not React.lazy and Suspense: a Suspense boundary that has shown its fallback reveals the screen
 * no sooner than 300 ms after it (React throttles fallbacks), so a chunk read in 20 ms still kept
 * "Loading…" on screen for 300 ms. Here the new address shows "Loading…" at once (never the last
 * screen under the new address), the screen the moment its chunk is in, and a preloaded screen
 * is shown in the same frame as the address changes.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = (): Promise<ComponentType<P>> =>
    (loading ??= load().then(
      (c) => (loaded = c),
      (err: unknown) => {
        // A failed read (the files replaced by an update under the running app) is tried again next time.
        loading = null;
        throw err;
      },
    ));

  function Screen(props: P) {
    const [Loaded, setLoaded] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Loaded) return;
      let live = true;
      preload().then(
        (c) => live && setLoaded(() => c),
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, [Loaded]);
    if (Loaded) return <Loaded {...props} />;
    if (failed) return <Banner kind="error">This screen could not be loaded. Restart Wardkeep.</Banner>;
    return <p className="muted">Loading…</p>;
  }
  return Object.assign(Screen, { preload });
}
