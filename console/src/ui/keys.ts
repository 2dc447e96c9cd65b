// Single-key shortcuts (design brief §7): only outside inputs, never with Ctrl/Alt/Meta, never
// while an IME is composing (the Enter that picks a candidate must not act).
import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from "react";

const SINGLE_KEYS = "firstcall.singleKeys";

/** Whether single-key shortcuts are on (the default); a user can turn them off in the ? help. */
export function singleKeysOn(): boolean {
  return localStorage.getItem(SINGLE_KEYS) !== "off";
}

export function setSingleKeys(on: boolean): void {
  if (on) localStorage.removeItem(SINGLE_KEYS); else localStorage.setItem(SINGLE_KEYS, "off");
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || !!el.closest?.(".ant-drawer, .ant-modal");
}

export function useKeys(keys: Record<string, () => void>, enabled = true): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.keyCode === 229 || e.ctrlKey || e.altKey || e.metaKey || typing(e.target)) return;
      if (e.key !== "?" && !singleKeysOn()) return; // ? stays, so the help (and its switch) can be reached

      const fn = current.current[e.key.length === 1 ? e.key.toLowerCase() : e.key];
      if (fn) {
        e.preventDefault();
        fn();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}

/** Ctrl+Enter submits, Esc closes: the two keys a form answers to (outside the IME). */
export function formKeys(submit: () => void, close: () => void) {
  return (e: ReactKeyboardEvent) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  };
}

/** A focused widget's own keys (a cell of an item grid): the handler gets the key's name — "7",
 * "n", "ArrowDown", "Ctrl+Enter" — and says whether it used it. Nothing while an IME composes. */
export function widgetKeys(handle: (name: string) => boolean) {
  return (e: ReactKeyboardEvent) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229 || e.altKey) return;
    const name = (e.ctrlKey || e.metaKey ? "Ctrl+" : "") + (e.key.length === 1 ? e.key.toLowerCase() : e.key);
    if (handle(name)) e.preventDefault();
  };
}
