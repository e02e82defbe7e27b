// Sending what waits in the outbox: at once, then again with backoff while it fails, and
// as soon as the network comes back.
//
// Every story keeps the id the form made for it, so sending one twice is harmless: the
// server answers a repeat with 200. Sends go one at a time through this page, so a
// background retry and the teller's own "send" never race over the same entry.

import * as outbox from "./outbox.js";
import { sendFragment } from "./submit.js";

const FIRST_DELAY_MS = 2000;
const MAX_DELAY_MS = 5 * 60 * 1000;
const TELLER_TIMEOUT_MS = 8000; // the teller is waiting: say "waiting" rather than hang
const BACKGROUND_TIMEOUT_MS = 20000;

/** Wait before the next try: doubling from 2 s up to 5 min, with jitter so that many
 * tablets coming back online at once do not all knock at the same moment. */
export function backoff(attempts, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/**
 * The page's sender. `onChange(summary)` hears about every change in what waits;
 * `onSent(id, receipt)` about every story the server now has.
 */
export function createDelivery({ onChange = () => {}, onSent = () => {} } = {}) {
  let queue = Promise.resolve();
  let timer = null;
  let flushing = null;
  let again = null; // {now} when flush was asked for during a round

  /** One send at a time in this page. */
  function exclusive(task) {
    const turn = queue.then(task, task);
    queue = turn.catch(() => {});
    return turn;
  }

  async function changed() {
    try {
      onChange(await outbox.summary());
    } catch {
      // The status line is a courtesy; sending goes on without it.
    }
  }

  /** Send one waiting entry and record what came of it. */
  function attempt(id, timeout) {
    return exclusive(async () => {
      const entry = await outbox.get(id);
      // Sent or refused meanwhile (by the turn before this one, or another tab).
      if (!entry || entry.state !== "waiting") return { outcome: "settled" };
      const result = await sendFragment(entry.url, entry.body, entry.headers, { timeout });
      const current = await outbox.get(id);
      if (result.outcome === "stored") {
        await outbox.remove(id);
        onSent(id, result.receipt);
      } else if (!current) {
        // Taken back into the form meanwhile: nothing to record.
      } else if (result.outcome === "rejected") {
        await outbox.put({ ...current, state: "attention", errors: result.errors });
      } else {
        const attempts = current.attempts + 1;
        await outbox.put({ ...current, attempts, nextAt: Date.now() + backoff(attempts) });
      }
      await changed();
      return result;
    });
  }

  function schedule(all) {
    clearTimeout(timer);
    const due = all.filter((entry) => entry.state === "waiting").map((entry) => entry.nextAt);
    if (!due.length) return;
    const wait = Math.max(0, Math.min(...due) - Date.now());
    timer = setTimeout(() => flush(), wait);
  }

  /** Send every waiting entry that is due (or all of them, when the network came back). */
  function flush({ now = false } = {}) {
    if (flushing) {
      // Asked again while a round is under way (the network came back during it, say):
      // one more round follows, so the request is never lost.
      again = again || { now: false };
      again.now = again.now || now;
      return flushing;
    }
    flushing = (async () => {
      let forced = now;
      try {
        for (const entry of await outbox.entries()) {
          if (entry.state !== "waiting" || (!forced && entry.nextAt > Date.now())) continue;
          const result = await attempt(entry.id, BACKGROUND_TIMEOUT_MS);
          if (result.outcome === "not_sent") forced = false; // still offline: leave the rest
        }
        schedule(await outbox.entries());
      } finally {
        flushing = null;
      }
      if (again) {
        const next = again;
        again = null;
        await flush(next);
      }
    })();
    return flushing;
  }

  /**
   * Keep a finished story and make the first attempt to send it. `onKept` runs once it
   * is safely in the outbox. Resolves to the outcome; with `takeBackIfRejected`, a
   * refused story leaves the outbox again (the teller is still there to put it right).
   */
  async function enqueue({ id, url, headers, body }, { takeBackIfRejected = false, onKept } = {}) {
    const entry = { id, url, headers, body, queuedAt: new Date().toISOString(), attempts: 0 };
    // Not due for the background sender while the teller's own attempt is under way.
    const nextAt = Date.now() + TELLER_TIMEOUT_MS;
    await outbox.put({ ...entry, nextAt, state: "waiting", errors: null });
    if (onKept) onKept();
    await changed();
    let result = await attempt(id, TELLER_TIMEOUT_MS);
    if (result.outcome === "settled") {
      // The network came back and the background sender got there first.
      const left = await outbox.get(id);
      result = left ? { outcome: "rejected", errors: left.errors } : { outcome: "stored", receipt: null };
    }
    if (result.outcome === "rejected" && takeBackIfRejected) {
      await outbox.remove(id);
      await changed();
    } else {
      schedule(await outbox.entries());
    }
    return result;
  }

  /** Staff asked to try the refused stories again. */
  async function retryAttention() {
    for (const entry of await outbox.entries()) {
      if (entry.state === "attention") {
        await outbox.put({ ...entry, state: "waiting", attempts: 0, nextAt: Date.now() });
      }
    }
    await changed();
    return flush({ now: true });
  }

  window.addEventListener("online", () => flush({ now: true }));
  return { enqueue, flush, retryAttention, changed };
}
