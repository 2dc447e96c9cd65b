// The viewer's unread count, shared by the header's bell and the inbox page: the bell keeps it
// live, the page sets it after marking read. `arrived` counts notifications heard live, so an
// open inbox page refetches its list when one comes.
import { useSyncExternalStore } from "react";

interface Unread {
  count: number | null;
  arrived: number;
}

let current: Unread = { count: null, arrived: 0 };
const watchers = new Set<() => void>();

function set(next: Unread): void {
  current = next;
  watchers.forEach((fn) => fn());
}

export function setUnread(count: number): void {
  if (count !== current.count) set({ ...current, count });
}

export function noteArrived(count: number): void {
  set({ count, arrived: current.arrived + 1 });
}

export function useUnread(): Unread {
  return useSyncExternalStore((fn) => {
    watchers.add(fn);
    return () => watchers.delete(fn);
  }, () => current);
}
