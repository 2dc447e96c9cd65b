// A drawer's first field keeps the focus it took. Ant Design's drawer focuses its own panel once it
// is open; with motion (the default) the panel cannot take focus yet at that moment, but with motion
// off (prefers-reduced-motion) it can, and it took the focus from the field the form had focused
// (autoFocus): the agent then typed into nothing. Given back while the drawer settles — only if the
// focus went to a box around the field (the panel), never if the user moved on to another field.
import { useRef, type FocusEvent } from "react";

const SETTLE_MS = [50, 200, 500];

export function useKeepFieldFocus(): (e: FocusEvent<HTMLElement>) => void {
  const taken = useRef(false);
  return (e) => {
    if (taken.current) return;
    taken.current = true;
    const field = e.target;
    for (const ms of SETTLE_MS) {
      window.setTimeout(() => {
        const now = document.activeElement;
        if (field.isConnected && now !== field && now?.contains(field)) field.focus();
      }, ms);
    }
  };
}
