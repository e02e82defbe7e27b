// Choices (radio or checkbox cards, with an optional "other" text) and short text answers.

import { el, uid } from "./dom.js";

const OTHER = "other"; // the reserved option id for a free "other" answer
const OTHER_LIMIT = 500;

/** "12 of 300 characters", kept up to date as the teller types. */
export function characterCounter(field, max, t) {
  const counter = el("p", { class: "counter", id: uid("counter") });
  const update = () => {
    counter.textContent = t("form.counter", { count: field.value.length, max });
    counter.classList.toggle("is-near-limit", field.value.length >= max * 0.9);
  };
  field.addEventListener("input", update);
  update();
  return counter;
}

function selectedOf(value) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return { selected: [].concat(value.selected), other: value.other || "" };
  }
  if (typeof value === "string") return { selected: [value], other: "" };
  if (Array.isArray(value)) return { selected: value.slice(), other: "" };
  return { selected: [], other: "" };
}

export function describeChoice(question, answer, t) {
  const { selected, other } = selectedOf(answer);
  if (!selected.length) return t("form.review.no_answer");
  return selected
    .map((id) => {
      if (id === OTHER) return other ? t("form.choice.review_other", { text: other }) : t("form.choice.other");
      const option = question.options.find((o) => o.id === id);
      return option ? option.text : id;
    })
    .join(", ");
}

export function createChoice(question, { value, onChange, t, labelledBy, describedBy, announce }) {
  const single = question.max === 1;
  const state = selectedOf(value);
  const name = uid(`choice-${question.id}`);
  const messageId = uid("choice-message");
  const message = el("p", { class: "choice-message", id: messageId, hidden: true });

  const otherInput = el("input", {
    type: "text",
    class: "other-input",
    id: uid("other"),
    maxlength: OTHER_LIMIT,
    autocomplete: "off",
  });
  otherInput.value = state.other;
  const otherField = el(
    "div",
    { class: "other-field", hidden: !state.selected.includes(OTHER) },
    el("label", { for: otherInput.id, text: t("form.choice.other_label") }),
    otherInput,
  );

  function report() {
    if (!state.selected.length) {
      onChange(undefined);
      return;
    }
    const chosen = single ? state.selected[0] : state.selected.slice();
    const otherText = state.other.trim();
    onChange(state.selected.includes(OTHER) && otherText ? { selected: chosen, other: state.other } : chosen);
  }

  otherInput.addEventListener("input", () => {
    state.other = otherInput.value;
    report();
  });

  function card(id, text) {
    const input = el("input", {
      type: single ? "radio" : "checkbox",
      name,
      value: id,
      class: "card-input",
      checked: state.selected.includes(id),
      "aria-describedby": single ? null : messageId,
    });
    input.addEventListener("change", () => {
      message.hidden = true;
      if (single) {
        state.selected = input.checked ? [id] : [];
      } else if (input.checked) {
        if (state.selected.length >= question.max) {
          // Keep the earlier choices and say why this one did not stick.
          input.checked = false;
          message.textContent = t("form.choice.max_reached", { max: question.max });
          message.hidden = false;
          announce(message.textContent);
          return;
        }
        state.selected.push(id);
      } else {
        state.selected = state.selected.filter((chosen) => chosen !== id);
      }
      otherField.hidden = !state.selected.includes(OTHER);
      report();
    });
    return el("label", { class: "card" }, input, el("span", { class: "card-text", text }));
  }

  const cards = question.options.map((option) => card(option.id, option.text));
  if (question.other) cards.push(card(OTHER, t("form.choice.other")));

  const element = el(
    "fieldset",
    { class: "choices", "aria-labelledby": labelledBy, "aria-describedby": describedBy || null },
    single ? null : el("p", { class: "widget-help", text: t("form.choice.choose_up_to", { max: question.max }) }),
    el("div", { class: "cards" }, cards),
    otherField,
    message,
  );
  return { element, focus: () => element.querySelector("input").focus() };
}

export function describeText(question, answer, t) {
  return typeof answer === "string" && answer.trim() ? answer : t("form.review.no_answer");
}

export function createText(question, { value, onChange, t, labelledBy, describedBy }) {
  const field = el("textarea", {
    class: "text-input",
    rows: 4,
    maxlength: question.max_length,
    "aria-labelledby": labelledBy,
    spellcheck: "true",
  });
  field.value = typeof value === "string" ? value : "";
  const counter = characterCounter(field, question.max_length, t);
  field.setAttribute("aria-describedby", `${describedBy || ""} ${counter.id}`.trim());
  field.addEventListener("input", () => onChange(field.value.trim() ? field.value : undefined));
  const element = el("div", { class: "text-answer" }, field, counter);
  return { element, focus: () => field.focus() };
}
