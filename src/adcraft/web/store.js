// What the user typed survives reloads, errors and back/forward: drafts live in sessionStorage.

const PREFIX = 'adcraft.draft.';

/** The saved value, or a copy of the fallback. */
export function load(name, fallback) {
  try {
    const raw = sessionStorage.getItem(PREFIX + name);
    if (raw) return { ...structuredClone(fallback), ...JSON.parse(raw) };
  } catch {
    /* a corrupt draft is dropped, not fatal */
  }
  return structuredClone(fallback);
}

export function save(name, value) {
  try {
    sessionStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the form still works, it just won't survive a reload */
  }
}

export function clear(name) {
  sessionStorage.removeItem(PREFIX + name);
}

/** A random id for Idempotency-Key headers. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
