// The tablet capture form: one calm step at a time, from welcome to thank-you.
//
// Reads the survey and the form's words from <script id="sm-config">, draws each step in
// <main id="form">, keeps everything the teller has entered in one `state` object (so
// going back, a rejected send or a dropped connection never loses a word) and sends the
// fragment as JSON. Steps and widgets live in their own modules; this one only moves
// between steps, shows errors and talks to the server.

import { el, uid } from "./dom.js";
import { createTranslator } from "./i18n.js";
import { questionStep } from "./questions.js";
import { introStep, promptStep, reviewStep, storyStep, thanksView } from "./steps.js";
import { buildFragment, newFragmentId, sendFragment } from "./submit.js";

const HEADING_ID = "sm-step-heading";

function freshState(definition) {
  return {
    id: newFragmentId(), // one id per story, kept across retries
    collectedAt: null,
    consent: false,
    prompt: definition.prompts.length === 1 ? definition.prompts[0].id : null,
    title: "",
    story: "",
    answers: {},
    serverErrors: {}, // field or question id → message from the server, in the teller's language
    returnToReview: false, // after "change" on the review, Next leads straight back to it
  };
}

/** The steps in order; `fields` says which server error belongs on which step. */
function buildSteps(definition) {
  const choosePrompt = definition.prompts.length > 1;
  const steps = [{ fields: ["consent"], render: introStep }];
  if (choosePrompt) steps.push({ fields: ["prompt"], render: promptStep });
  steps.push({ fields: choosePrompt ? ["story", "title"] : ["story", "title", "prompt"], render: storyStep });
  for (const question of definition.questions) {
    steps.push({ fields: [question.id], render: (ctx) => questionStep(question, ctx) });
  }
  steps.push({ fields: [], render: reviewStep });
  return steps;
}

/** A collection link's token goes along with the story when the page was opened through one. */
function linkHeaders(config) {
  return config.token_header && config.collection_token ? { [config.token_header]: config.collection_token } : {};
}

function startForm(config) {
  const definition = config.definition;
  const t = createTranslator(config.messages, definition.language);
  const main = document.getElementById("form");
  const steps = buildSteps(definition);
  const reviewIndex = steps.length - 1;
  const state = freshState(definition);
  let current = 0;
  let sending = false;
  let notSent = false;
  let primaryButton = null;

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
  main.replaceChildren(progress, stepArea, alerts, status);

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
    const result = await sendFragment(config.submit_url, buildFragment(state, definition), linkHeaders(config));
    sending = false;
    if (result.outcome === "stored") {
      finish();
    } else if (result.outcome === "rejected") {
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

  function finish() {
    // Forget the story at once: the next person to pick up the tablet must not see it.
    Object.assign(state, freshState(definition));
    notSent = false;
    current = -1;
    progress.hidden = true;
    const view = thanksView({ t, startAgain: () => show(0) });
    const title = heading(view.heading);
    stepArea.replaceChildren(title, view.body);
    moveFocus(title);
  }

  keepDraftAcrossLanguageSwitch(definition, state, () => current);
  const draft = takeDraft(definition);
  if (draft) {
    Object.assign(state, draft.state, { serverErrors: {} });
    show(Math.min(Math.max(draft.step, 0), reviewIndex));
  } else {
    show(0, { focus: false });
  }
}

// Switching language reloads the page; carry the unfinished story across in this tab's
// sessionStorage, read once and removed at once, so nothing typed is lost on the way.
const draftKey = (definition) => `sensemaker.draft.${definition.id}`;

function keepDraftAcrossLanguageSwitch(definition, state, currentStep) {
  const link = document.querySelector(".language-switch");
  if (!link) return;
  link.addEventListener("click", () => {
    if (currentStep() < 0) return;
    const { serverErrors, ...kept } = state; // server messages are in the old language
    try {
      sessionStorage.setItem(
        draftKey(definition),
        JSON.stringify({ version: definition.version, step: currentStep(), state: kept }),
      );
    } catch {
      // Storage may be off (private mode); the switch then starts afresh, as before.
    }
  });
}

function takeDraft(definition) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(draftKey(definition)));
    sessionStorage.removeItem(draftKey(definition));
    return saved && saved.version === definition.version ? saved : null;
  } catch {
    return null;
  }
}

startForm(JSON.parse(document.getElementById("sm-config").textContent));
