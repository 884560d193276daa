/**
 * A page in a third-party frame, in a browser set to block third-party
 * cookies, gets no Web Storage either: Chromium throws a SecurityError on
 * reading window.sessionStorage. Remix's route discovery reads it without a
 * guard on every navigation (@remix-run/react's fog-of-war.js), which then
 * fails and shows the error page. In such a document this puts an in-memory
 * Storage in place of each one denied: what it holds is lost with the page,
 * as the frame's storage would be anyway. Everywhere else it does nothing.
 */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(String(key)) ?? null,
    setItem: (key, value) => void items.set(String(key), String(value)),
    removeItem: (key) => void items.delete(String(key)),
    clear: () => items.clear(),
  };
}

export function shimDeniedStorage(): void {
  for (const name of ["sessionStorage", "localStorage"] as const) {
    try {
      void window[name];
    } catch {
      Object.defineProperty(window, name, { configurable: true, value: memoryStorage() });
    }
  }
}
