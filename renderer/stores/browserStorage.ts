// The page's localStorage, typed narrowly (the stores are also type-checked without DOM types, by the
// vitest config) and absent in Node or where storage is disabled.

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The page's localStorage, or undefined where there is none (Node, disabled storage). */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage;
  } catch {
    return undefined; // reading localStorage itself throws where the browser blocks it
  }
}
