// Kiosk mode, for a tablet that the next person picks up a minute after the last.
//
// A half-finished story is not left lying for the next person: after a while without a
// touch a warning asks "are you still there?", and if nobody answers the form is cleared.
// The tablet also tells the server, when it is online, how many stories wait in its outbox
// (numbers only), so staff can see a tablet that has been cut off.

import { el, uid } from "./dom.js";

const CHECK_EVERY_MS = 1000;
const REPORT_EVERY_MS = 5 * 60 * 1000;
const ACTIVITY = ["pointerdown", "keydown", "input", "wheel", "touchstart"];

/**
 * Watch for idleness while `inProgress()` says a story is under way; warn after
 * `timing.idle` seconds, and call `clear()` `timing.warning` seconds later.
 */
export function watchIdle({ t, timing, inProgress, clear, announce }) {
  let lastActivity = Date.now();
  let warnedAt = null;
  const headingId = uid("kiosk-warning");
  const textId = uid("kiosk-warning-text");
  const countdown = el("p", { class: "kiosk-countdown" });
  const stay = el("button", {
    type: "button",
    class: "button button-primary kiosk-stay",
    text: t("form.kiosk.stay"),
    onclick: () => dismiss(),
  });
  const dialog = el(
    "dialog",
    { class: "kiosk-warning", "aria-labelledby": headingId, "aria-describedby": textId },
    el("h2", { id: headingId, text: t("form.kiosk.still_there") }),
    el("p", { id: textId, text: t("form.kiosk.will_clear") }),
    countdown,
    stay,
  );
  // Escape would close the dialog without saying "I am here"; it counts as being here.
  dialog.addEventListener("cancel", () => dismiss());
  document.body.append(dialog);

  function dismiss() {
    warnedAt = null;
    lastActivity = Date.now();
    if (dialog.open) dialog.close();
  }

  function showCountdown() {
    const left = Math.max(0, Math.ceil((warnedAt + timing.warning * 1000 - Date.now()) / 1000));
    countdown.textContent = t("form.kiosk.countdown", { seconds: left });
  }

  for (const name of ACTIVITY) {
    document.addEventListener(name, () => {
      if (warnedAt === null) lastActivity = Date.now();
    }, { capture: true, passive: true });
  }

  setInterval(() => {
    if (!inProgress()) {
      if (warnedAt !== null) dismiss();
      lastActivity = Date.now();
      return;
    }
    const now = Date.now();
    if (warnedAt === null && now - lastActivity >= timing.idle * 1000) {
      warnedAt = now;
      showCountdown();
      dialog.showModal();
      stay.focus();
    } else if (warnedAt !== null && now - warnedAt >= timing.warning * 1000) {
      dismiss();
      clear();
      announce(t("form.kiosk.cleared"));
    } else if (warnedAt !== null) {
      showCountdown();
    }
  }, CHECK_EVERY_MS);

  return { reset: dismiss };
}

/** Report the outbox's numbers to the server now and then, and whenever they change. */
export function reportStatus(config) {
  let latest = null;

  async function send() {
    if (!latest || navigator.onLine === false) return;
    try {
      await fetch(config.kiosk_status_url, {
        method: "POST",
        headers: { [config.token_header]: config.collection_token, "Content-Type": "application/json" },
        body: JSON.stringify(latest),
        credentials: "same-origin",
      });
    } catch {
      // Offline again: the next change, the next interval or the network's return sends it.
    }
  }

  setInterval(send, REPORT_EVERY_MS);
  window.addEventListener("online", send);
  return (summary) => {
    latest = summary;
    send();
  };
}
