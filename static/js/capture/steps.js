// The steps around the questions: welcome and consent, prompt, story and review.
//
// Each step function returns {heading, body, validate, nextLabel?}; form.js draws the
// heading, the progress and the Back/Next buttons around it.

import { el, hidden, uid } from "./dom.js";
import { characterCounter } from "./fields.js";
import { describeAnswer } from "./questions.js";

function noErrors() {
  return {};
}

export function introStep({ state, definition, t, errorSlot }) {
  const body = el("div", { class: "intro" });
  if (definition.intro) body.append(el("p", { class: "intro-text", text: definition.intro }));
  body.append(el("p", { text: t("form.intro.how") }));
  body.append(el("p", { text: t("form.intro.no_wrong") }));
  const heading = t("form.intro.heading");
  if (!definition.consent) return { heading, body, validate: noErrors, nextLabel: t("form.start") };

  const consentId = uid("consent");
  const yes = el("input", { type: "checkbox", class: "card-input", checked: state.consent });
  yes.addEventListener("change", () => {
    state.consent = yes.checked;
  });
  body.append(
    el(
      "section",
      { class: "consent", "aria-labelledby": consentId },
      el("h3", { id: consentId, text: t("form.consent.heading") }),
      el("p", { class: "consent-text", text: definition.consent }),
      errorSlot("consent"),
      el(
        "label",
        { class: "card consent-card" },
        yes,
        el("span", { class: "card-text", text: t("form.consent.yes") }),
      ),
    ),
  );
  return {
    heading,
    body,
    nextLabel: t("form.start"),
    validate: () => (state.consent ? {} : { consent: t("form.consent.needed") }),
  };
}

export function promptStep({ state, definition, t, errorSlot, headingId }) {
  const name = uid("prompt");
  const cards = definition.prompts.map((prompt) => {
    const input = el("input", {
      type: "radio",
      name,
      value: prompt.id,
      class: "card-input",
      checked: state.prompt === prompt.id,
    });
    input.addEventListener("change", () => {
      if (input.checked) state.prompt = prompt.id;
    });
    const text = el("span", { class: "card-text", text: prompt.text });
    return el("label", { class: "card prompt-card" }, input, text);
  });
  const body = el(
    "div",
    { class: "prompts" },
    el("p", { class: "hint", text: t("form.prompt.help") }),
    errorSlot("prompt"),
    el("fieldset", { class: "choices", "aria-labelledby": headingId }, el("div", { class: "cards" }, cards)),
  );
  return {
    heading: t("form.prompt.heading"),
    body,
    validate: () => (state.prompt ? {} : { prompt: t("form.prompt.needed") }),
  };
}

function chosenPrompt(state, definition) {
  return definition.prompts.find((prompt) => prompt.id === state.prompt);
}

export function storyStep({ state, definition, t, errorSlot }) {
  const story = definition.story;
  const prompt = chosenPrompt(state, definition);
  const heading = prompt ? prompt.text : story.text || t("form.story.heading");

  const storyId = uid("story");
  const storyError = errorSlot("story");
  const privacyId = uid("privacy");
  const storyField = el("textarea", {
    id: storyId,
    class: "story-input",
    rows: 9,
    maxlength: story.max_length,
    spellcheck: "true",
  });
  storyField.value = state.story;
  storyField.addEventListener("input", () => {
    state.story = storyField.value;
  });
  const storyCounter = characterCounter(storyField, story.max_length, t);
  storyField.setAttribute("aria-describedby", `${privacyId} ${storyCounter.id} ${storyError.id}`);

  const body = el("div", { class: "story" });
  if (prompt && story.text) body.append(el("p", { class: "story-text", text: story.text }));
  if (story.hint) body.append(el("p", { class: "hint", text: story.hint }));
  body.append(
    el("p", { class: "privacy-note", id: privacyId, text: t("form.story.privacy") }),
    el("label", { class: "field-label", for: storyId, text: t("form.story.label") }),
    storyError,
    storyField,
    storyCounter,
  );

  if (story.title) {
    const titleId = uid("title");
    const titleError = errorSlot("title");
    const titleField = el("input", {
      id: titleId,
      type: "text",
      class: "title-input",
      maxlength: story.title_max_length,
      autocomplete: "off",
    });
    titleField.value = state.title;
    titleField.addEventListener("input", () => {
      state.title = titleField.value;
    });
    const titleCounter = characterCounter(titleField, story.title_max_length, t);
    titleField.setAttribute("aria-describedby", `${titleCounter.id} ${titleError.id}`);
    body.append(
      el("label", { class: "field-label", for: titleId, text: story.title_text || t("form.story.title_label") }),
      titleError,
      titleField,
      titleCounter,
    );
  }
  return {
    heading,
    body,
    validate: () => (state.story.trim() ? {} : { story: t("form.story.needed") }),
  };
}

/** One line of the review: what was asked, what the teller answered, and a way back. */
function reviewItem(label, answer, changeTo, t, answerClass = "review-answer") {
  return el(
    "li",
    { class: "review-item" },
    el("h3", { class: "review-question", text: label }),
    el("p", { class: answerClass, text: answer }),
    el(
      "button",
      { type: "button", class: "link-button review-change", onclick: changeTo },
      t("form.review.change"),
      hidden(` ${label}`),
    ),
  );
}

export function reviewStep(ctx) {
  const { state, definition, t, errorSlot, stepOf, changeStep, send, sending, notSent } = ctx;
  const items = [];
  if (definition.consent) {
    const answer = state.consent ? t("form.review.consent_yes") : t("form.review.consent_no");
    items.push(reviewItem(t("form.consent.heading"), answer, () => changeStep(stepOf("consent")), t));
  }
  const prompt = chosenPrompt(state, definition);
  if (prompt && definition.prompts.length > 1) {
    items.push(reviewItem(t("form.review.prompt"), prompt.text, () => changeStep(stepOf("prompt")), t));
  }
  if (definition.story.title) {
    const title = state.title.trim() || t("form.review.no_answer");
    items.push(reviewItem(t("form.review.title"), title, () => changeStep(stepOf("title")), t));
  }
  const story = state.story.trim() || t("form.review.no_answer");
  const toStory = () => changeStep(stepOf("story"));
  items.push(reviewItem(t("form.review.story"), story, toStory, t, "review-answer review-story"));
  for (const question of definition.questions) {
    const answer = describeAnswer(question, state.answers[question.id], t);
    items.push(reviewItem(question.text, answer, () => changeStep(stepOf(question.id)), t));
  }

  // The send button takes the place of "Next"; after a failed attempt it says "Try again".
  const primary = el("button", {
    type: "button",
    class: notSent ? "button button-primary button-retry" : "button button-primary button-send",
    disabled: sending,
    text: sending ? t("form.send.sending") : notSent ? t("form.send.retry") : t("form.send.button"),
    onclick: send,
  });
  const notice = notSent
    ? el(
        "div",
        { class: "notice notice-problem", role: "alert" },
        el("p", { class: "notice-title", text: t("form.send.not_sent") }),
        el("p", { text: t("form.send.kept") }),
      )
    : null;

  const body = el(
    "div",
    { class: "review" },
    el("p", { class: "hint", text: t("form.review.help") }),
    errorSlot("*"),
    el("ul", { class: "review-list" }, items),
    notice,
  );
  return { heading: t("form.review.heading"), body, validate: noErrors, primary };
}
