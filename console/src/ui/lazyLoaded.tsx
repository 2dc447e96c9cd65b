// React.lazy that does not suspend once its chunk is in. A lazy component suspends on its first
// render even when the chunk was loaded early on purpose, and a suspended part shows its fallback;
// React then holds the real content back for up to 300 ms (its fallback throttle) — a third of the
// HQ board's first load. preload() starts the chunk; a component mounted after it arrived renders
// at once, one mounted before waits for it through Suspense as before.
import { createElement, lazy, useState, type ComponentType } from "react";

export function lazyLoaded<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<{ default: ComponentType<P> }> | null = null;
  const preload = () => (loading ??= load().then((m) => {
    loaded = m.default;
    return m;
  }, (e: unknown) => {
    loading = null; // a failed chunk is asked again next time, as a plain lazy import would
    throw e;
  }));
  const Lazy = lazy(preload);
  function Component(props: P) {
    const [Chosen] = useState<ComponentType<P>>(() => loaded ?? Lazy); // fixed per mount: switching would remount
    return createElement(Chosen, props);
  }
  return { Component, preload };
}
