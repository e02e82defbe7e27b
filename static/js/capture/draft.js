// The draft: the story being told, saved on the device as the teller goes.
//
// Saved every couple of seconds while something changes, and at once when the page is
// hidden or left (closing the tab, switching language, a reload), so a crash loses at most
// the last few seconds of typing. localStorage is used because it writes synchronously:
// a save in `pagehide` is done before the page is gone. The draft is deleted as soon as
// the story is in the outbox. On a shared kiosk it lives only as long as the idle timeout.

const SAVE_EVERY_MS = 2000;

/** The draft of one survey on this device (both languages share it). */
export function draftStore(definition, { maxAgeMs }) {
  const key = `sensemaker.draft.${definition.id}`;

  function load() {
    try {
      const saved = JSON.parse(localStorage.getItem(key));
      if (!saved || typeof saved.state !== "object" || !saved.state || !saved.state.id) return null;
      if (!(Date.now() - saved.savedAt <= maxAgeMs)) {
        localStorage.removeItem(key); // too old: on a shared tablet it is someone else's
        return null;
      }
      return saved;
    } catch {
      return null;
    }
  }

  function save(step, state) {
    const { serverErrors, returnToReview, ...kept } = state; // server messages go stale
    const draft = { version: definition.version, step, savedAt: Date.now(), state: kept };
    try {
      localStorage.setItem(key, JSON.stringify(draft));
      return true;
    } catch {
      return false; // storage full or off: the story still lives in the page
    }
  }

  function clear() {
    try {
      localStorage.removeItem(key);
    } catch {
      // Storage off: there is nothing to clear either.
    }
  }

  return { load, save, clear };
}

/**
 * Save `snapshot()` (→ {step, state} or null when there is nothing worth keeping) every
 * few seconds when it changed, and whenever the page is hidden or left.
 */
export function keepSaving(store, snapshot) {
  let last = null;
  function saveNow() {
    const current = snapshot();
    if (current === null) {
      if (last !== "") store.clear();
      last = "";
      return;
    }
    const text = JSON.stringify(current);
    if (text === last) return;
    if (store.save(current.step, current.state)) last = text;
  }
  const timer = setInterval(saveNow, SAVE_EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveNow();
  });
  window.addEventListener("pagehide", saveNow);
  return {
    saveNow,
    /** What is on the page now was just read from the draft: no need to write it back. */
    markSaved() {
      const current = snapshot();
      last = current === null ? "" : JSON.stringify(current);
    },
    /** Forget what was saved (the story went to the outbox, or the kiosk was cleared). */
    forget() {
      store.clear();
      last = "";
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * Switching language loads the form again in the other language; the draft, saved right
 * before, carries the unfinished story across. A kiosk replaces the page instead of
 * adding to the history, so Back never leads into an earlier screen.
 */
export function keepSwitchingLanguage(kiosk, saver) {
  const link = document.querySelector(".language-switch");
  if (!link) return;
  link.addEventListener("click", (event) => {
    saver.saveNow();
    if (!kiosk) return;
    event.preventDefault();
    window.location.replace(link.href);
  });
}
