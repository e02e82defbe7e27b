// The tablet capture form: one calm step at a time, from welcome to thank-you.
//
// Reads the survey and the form's words from <script id="sm-config">, draws each step in
// <main id="form">, keeps everything the teller has entered in one `state` object (so
// going back, a rejected send or a dropped connection never loses a word), saves it as a
// draft as the teller goes, and hands the finished story to the outbox, which sends it now
// or as soon as the network is back. Steps, widgets, drafts, the outbox and kiosk mode live
// in their own modules; this one moves between steps and ties them together.

import { el, uid } from "./dom.js";
import { createDelivery } from "./delivery.js";
import { draftStore, keepSaving, keepSwitchingLanguage } from "./draft.js";
import { createTranslator } from "./i18n.js";
import { reportStatus, watchIdle } from "./kiosk.js";
import { keepForOffline } from "./offline.js";
import * as outbox from "./outbox.js";
import { deliveryStatus, thanksView } from "./status.js";
import { buildSteps, freshState, untouched } from "./story.js";
import { buildFragment } from "./submit.js";

const HEADING_ID = "sm-step-heading";
const DRAFT_KEPT_MS = 24 * 60 * 60 * 1000; // on a teller's own device: until tomorrow

/** A collection link's token goes along with the story when the page was opened through one. */
function linkHeaders(config) {
  return config.token_header && config.collection_token ? { [config.token_header]: config.collection_token } : {};
}

async function startForm(config) {
  const definition = config.definition;
  const kiosk = config.kiosk;
  const timing = config.kiosk_timing;
  const t = createTranslator(config.messages, definition.language);
  const main = document.getElementById("form");
  const steps = buildSteps(definition);
  const reviewIndex = steps.length - 1;
  const state = freshState(definition);
  let current = 0;
  let sending = false;
  let notSent = false;
  let primaryButton = null;
  let thanks = null; // {id, view, timer} while the thank-you screen shows

  const progressText = el("p", { class: "progress-text" });
  const progressFill = el("div", { class: "progress-fill" });
  const progress = el(
    "div",
    { class: "progress" },
    progressText,
    el("div", { class: "progress-bar", "aria-hidden": "true" }, progressFill),
  );
  const stepArea = el("section", { class: "step", "aria-labelledby": HEADING_ID });
  const alerts = el("div", { class: "visually-hidden", "aria-live": "assertive", "aria-atomic": "true" });
  const status = el("div", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
  const report = kiosk && config.collection_token ? reportStatus(config) : null;
  const delivery = createDelivery({
    onChange(summary) {
      deliveryLine.update(summary);
      if (report) report(summary);
    },
    onSent(id, receipt) {
      // Sent later, while its thank-you screen still shows: say so, and give the code.
      if (thanks && thanks.id === id) thanks.view.sent(receipt);
    },
  });
  const deliveryLine = deliveryStatus({ t, retry: () => delivery.retryAttention() });
  main.replaceChildren(progress, stepArea, alerts, status, deliveryLine.element);

  // A kiosk's draft lives only as long as its idle timeout: after that it is not the
  // same teller any more.
  const kept = kiosk ? (timing.idle + timing.warning) * 1000 : DRAFT_KEPT_MS;
  const drafts = draftStore(definition, { maxAgeMs: kept });
  const saver = keepSaving(drafts, () =>
    current < 0 || (current === 0 && untouched(state, definition)) ? null : { step: current, state },
  );

  function announce(text, { polite = false } = {}) {
    const region = polite ? status : alerts;
    // Emptying first makes screen readers repeat a message that happens to be the same.
    region.textContent = "";
    setTimeout(() => {
      region.textContent = text;
    }, 100);
  }

  function stepOf(field) {
    const index = steps.findIndex((step) => step.fields.includes(field));
    return index < 0 ? reviewIndex : index;
  }

  function serverErrorsOn(index) {
    return Object.fromEntries(Object.entries(state.serverErrors).filter(([field]) => stepOf(field) === index));
  }

  function showErrors(slots, errors) {
    for (const slot of Object.values(slots)) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const [field, message] of Object.entries(errors)) {
      const slot = slots[field] || slots["*"];
      slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
      slot.hidden = false;
    }
  }

  function heading(text) {
    return el("h2", { id: HEADING_ID, class: "step-heading", tabindex: -1, text });
  }

  function moveFocus(target) {
    main.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }

  function show(index, { focus = true } = {}) {
    current = index;
    if (index === reviewIndex) state.returnToReview = false;
    const slots = {};
    const errorSlot = (field) => {
      slots[field] = el("p", { class: "field-error", id: uid("error"), hidden: true });
      return slots[field];
    };
    const view = steps[index].render({
      state,
      definition,
      t,
      announce,
      headingId: HEADING_ID,
      errorSlot,
      stepOf,
      changeStep,
      send,
      sending,
      notSent,
    });
    // Errors that belong to no field of this step are shown right under the heading.
    const general = slots["*"] ? null : errorSlot("*");
    const title = heading(view.heading);
    stepArea.replaceChildren(title, ...(general ? [general] : []), view.body, navigation(index, view, slots));
    progress.hidden = false;
    progressText.textContent = t("form.progress", { step: index + 1, total: steps.length });
    progressFill.style.width = `${((index + 1) / steps.length) * 100}%`;
    showErrors(slots, serverErrorsOn(index));
    if (focus) moveFocus(title);
  }

  function navigation(index, view, slots) {
    const nav = el("div", { class: "step-nav" });
    if (index > 0) {
      nav.append(
        el("button", {
          type: "button",
          class: "button button-secondary button-back",
          text: t("form.back"),
          onclick: () => show(index - 1),
        }),
      );
    }
    primaryButton =
      view.primary ||
      el("button", {
        type: "button",
        class: "button button-primary button-next",
        text: state.returnToReview ? t("form.review.return") : view.nextLabel || t("form.next"),
        onclick: () => next(index, view, slots),
      });
    nav.append(primaryButton);
    return nav;
  }

  function next(index, view, slots) {
    const errors = view.validate();
    if (Object.keys(errors).length) {
      showErrors(slots, errors);
      announce(Object.values(errors).join(" "));
      // On a long step the message may be far above the button that was pressed.
      stepArea.querySelector(".field-error:not([hidden])").scrollIntoView({ block: "center" });
      return;
    }
    // The teller has seen the server's message here and moved on; the server checks again.
    for (const field of steps[index].fields) delete state.serverErrors[field];
    show(state.returnToReview ? reviewIndex : index + 1);
  }

  function changeStep(index) {
    state.returnToReview = true;
    show(index);
  }

  async function send() {
    if (sending) return;
    sending = true;
    primaryButton.disabled = true;
    primaryButton.textContent = t("form.send.sending");
    announce(t("form.send.sending"), { polite: true });
    state.collectedAt = state.collectedAt || new Date().toISOString();
    const story = { id: state.id, url: config.submit_url, headers: linkHeaders(config) };
    let result = null;
    try {
      // In the outbox first, and only then sent: from here on the story cannot be lost.
      result = await delivery.enqueue(
        { ...story, body: buildFragment(state, definition) },
        { takeBackIfRejected: true, onKept: () => saver.forget() },
      );
    } catch {
      result = null; // the outbox could not be written: the story stays in the form
    }
    sending = false;
    if (result && result.outcome === "stored") {
      finish(result.receipt, true);
    } else if (result && result.outcome === "not_sent") {
      finish(null, false); // waiting in the outbox: it goes by itself
    } else if (result && result.outcome === "rejected") {
      notSent = false;
      state.serverErrors = result.errors;
      const first = Math.min(...Object.keys(result.errors).map(stepOf));
      state.returnToReview = first !== reviewIndex;
      show(first);
      announce(Object.values(serverErrorsOn(first)).join(" "));
    } else {
      notSent = true;
      show(reviewIndex, { focus: false });
      // The teller is looking at the send button: say it right there, and offer to try again.
      primaryButton.focus({ preventScroll: true });
      stepArea.querySelector(".notice").scrollIntoView({ block: "center" });
    }
  }

  function finish(receipt, sentNow) {
    const id = state.id;
    // Forget the story at once: the next person to pick up the tablet must not see it.
    Object.assign(state, freshState(definition));
    saver.forget();
    notSent = false;
    current = -1;
    progress.hidden = true;
    const view = thanksView({ t, kiosk, withdrawUrl: config.withdraw_url, startAgain: startAfresh });
    if (sentNow) view.sent(receipt);
    else view.waiting();
    // A kiosk shows the receipt on this screen only, then starts afresh for the next person.
    const timer = kiosk ? setTimeout(startAfresh, timing.thanks * 1000) : null;
    thanks = { id, view, timer };
    const title = heading(view.heading);
    stepArea.replaceChildren(title, view.body);
    forgetHistory();
    moveFocus(title);
  }

  /** A fresh, empty form: after the thank-you screen, or when a kiosk was left idle. */
  function startAfresh() {
    if (thanks) clearTimeout(thanks.timer);
    thanks = null;
    Object.assign(state, freshState(definition));
    saver.forget();
    notSent = false;
    forgetHistory();
    show(0);
  }

  function forgetHistory() {
    // Nothing of a teller's answers may be reached with Back; the form keeps no history
    // entries of its own, and this drops any state a browser kept with the current one.
    if (kiosk) window.history.replaceState(null, "", window.location.href);
  }

  keepSwitchingLanguage(kiosk, saver);
  const draft = drafts.load();
  // A draft whose story reached the outbox (the page closed in between) is done with.
  if (draft && !(await outbox.get(draft.state.id).catch(() => null))) {
    const sameVersion = draft.version === definition.version;
    // Answers to another version's questions may not fit these; the story always does.
    Object.assign(state, draft.state, { serverErrors: {}, returnToReview: false });
    if (!sameVersion) state.answers = {};
    show(sameVersion ? Math.min(Math.max(draft.step, 0), reviewIndex) : stepOf("story"));
    // Its age stays that of the last change: a kiosk's draft must not live on by reloads.
    if (sameVersion && current === draft.step) saver.markSaved();
  } else {
    if (draft) drafts.clear();
    show(0, { focus: false });
  }

  if (kiosk) {
    watchIdle({
      t,
      timing,
      inProgress: () => current > 0 || (current === 0 && !untouched(state, definition)),
      clear: startAfresh,
      announce,
    });
    window.addEventListener("pageshow", (event) => {
      if (event.persisted && current < 0) startAfresh(); // back from the browser's cache
    });
  }
  delivery.changed();
  delivery.flush({ now: true }); // what waited from earlier visits goes now
  keepForOffline(config);
}

startForm(JSON.parse(document.getElementById("sm-config").textContent));
