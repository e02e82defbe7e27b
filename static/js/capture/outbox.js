// The outbox: finished stories wait here, in the browser's IndexedDB, until the server has
// them.
//
// A story is put here before the first attempt to send it, and taken out only when the
// server says it has it (201 or 200), so a dropped connection, a closed tab or a crash
// cannot lose it. Writes ask for "strict" durability: the entry is on disk before the
// form says "saved". Where IndexedDB cannot be opened (some private modes), a list in
// memory stands in; the story then waits only as long as the page stays open.
//
// An entry: {id, url, headers, body, queuedAt, attempts, nextAt, state, errors}, where
// state is "waiting" (to be sent) or "attention" (the server refused it; kept, with the
// server's messages, for staff to see — never dropped).

const DB_NAME = "sensemaker";
const DB_VERSION = 1;
const STORE = "outbox";

const memory = new Map();
let opening = null;

function openDatabase() {
  if (!opening) {
    opening = new Promise((resolve) => {
      try {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          if (!request.result.objectStoreNames.contains(STORE)) {
            request.result.createObjectStore(STORE, { keyPath: "id" });
          }
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => resolve(null);
        request.onblocked = () => resolve(null);
      } catch {
        resolve(null); // no IndexedDB at all
      }
    });
  }
  return opening;
}

/** Run one request in its own transaction; resolves when the transaction has committed. */
async function run(mode, makeRequest, fallback) {
  const database = await openDatabase();
  if (!database) return fallback();
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(STORE, mode, { durability: "strict" });
    const request = makeRequest(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export function put(entry) {
  return run(
    "readwrite",
    (store) => store.put(entry),
    () => memory.set(entry.id, structuredClone(entry)),
  );
}

export function get(id) {
  return run(
    "readonly",
    (store) => store.get(id),
    () => (memory.has(id) ? structuredClone(memory.get(id)) : undefined),
  );
}

export async function entries() {
  const found = await run(
    "readonly",
    (store) => store.getAll(),
    () => [...memory.values()].map((entry) => structuredClone(entry)),
  );
  return found.sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
}

export function remove(id) {
  return run(
    "readwrite",
    (store) => store.delete(id),
    () => memory.delete(id),
  );
}

/** What waits and what needs attention, in numbers only: never a word of a story. */
export async function summary() {
  const all = await entries();
  const waiting = all.filter((entry) => entry.state === "waiting");
  return {
    waiting: waiting.length,
    oldest_waiting: waiting.length ? waiting[0].queuedAt : null,
    attention: all.length - waiting.length,
  };
}
