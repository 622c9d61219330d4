// Window-wide keyboard shortcuts.

/** Calls `fn` on Alt+<key> (no Ctrl/Meta); returns a function that removes the listener. */
export function onAltKey(key: string, fn: () => void): () => void {
  const listener = (e: KeyboardEvent) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === key) {
      e.preventDefault();
      fn();
    }
  };
  window.addEventListener('keydown', listener);
  return () => window.removeEventListener('keydown', listener);
}
