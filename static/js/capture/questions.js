// One step per question: the kind's widget, its hint, the "does not apply" choice and the
// check that a required question has an answer.
//
// Each kind is one entry in KINDS (create the widget, describe an answer in words, say
// whether an answer is complete), mirroring the question classes on the server: adding a
// kind means adding an entry, not another `if kind === …` elsewhere.

import { el, uid } from "./dom.js";
import { createDyad, describeDyad } from "./dyad.js";
import { createChoice, createText, describeChoice, describeText } from "./fields.js";
import { createStar, describeStar } from "./star.js";
import { createStones, describeStones } from "./stones.js";
import { createTriad, describeTriad } from "./triad.js";

export const NA = "na";

const KINDS = {
  triad: { create: createTriad, describe: describeTriad, geometric: true },
  dyad: { create: createDyad, describe: describeDyad, geometric: true },
  stones: {
    create: createStones,
    describe: describeStones,
    geometric: true,
    complete: (question, answer) => Object.keys(answer).length > 0,
  },
  star: {
    create: createStar,
    describe: describeStar,
    geometric: true,
    complete: (question, answer) => question.areas.every((area) => area.id in answer),
  },
  choice: { create: createChoice, describe: describeChoice },
  text: { create: createText, describe: describeText, complete: (question, answer) => answer.trim() !== "" },
};

/** An answer in words, for the review step. */
export function describeAnswer(question, answer, t) {
  if (answer === undefined) return t("form.review.no_answer");
  if (answer === NA) return t("form.na");
  return KINDS[question.kind].describe(question, answer, t);
}

function isAnswered(question, answer) {
  if (answer === undefined) return false;
  if (answer === NA) return true;
  const complete = KINDS[question.kind].complete;
  return complete ? complete(question, answer) : true;
}

/** The step for one question: {heading, body, validate}. */
export function questionStep(question, ctx) {
  const { state, t, headingId } = ctx;
  const kind = KINDS[question.kind];
  const offersNa = kind.geometric && question.allow_na;
  // What was answered before "does not apply" was ticked, to bring back if it is unticked.
  let beforeNa = state.answers[question.id] === NA ? undefined : state.answers[question.id];

  // When the survey has its own hint, widgets keep their generic help for screen readers
  // only, so the page does not say the same thing twice.
  const hintId = uid("hint");
  const holder = el("div", { class: `widget widget-${question.kind}` });
  const naInput = el("input", {
    type: "checkbox",
    class: "card-input",
    checked: state.answers[question.id] === NA,
  });

  function setAnswer(value) {
    if (value === undefined) delete state.answers[question.id];
    else state.answers[question.id] = value;
  }

  function renderWidget() {
    const current = state.answers[question.id];
    const widget = kind.create(question, {
      value: current === NA ? undefined : current,
      t,
      labelledBy: headingId,
      describedBy: question.hint ? hintId : "",
      announce: ctx.announce,
      onChange(value) {
        // Placing an answer means the question does apply after all.
        if (naInput.checked && value !== undefined) {
          naInput.checked = false;
          holder.classList.remove("is-na");
        }
        beforeNa = value;
        setAnswer(value);
      },
    });
    holder.replaceChildren(widget.element);
    holder.classList.toggle("is-na", current === NA);
  }

  naInput.addEventListener("change", () => {
    setAnswer(naInput.checked ? NA : beforeNa);
    renderWidget();
  });

  renderWidget();
  const body = el(
    "div",
    { class: `question question-${question.kind}` },
    question.hint ? el("p", { class: "hint", id: hintId, text: question.hint }) : null,
    el("p", {
      class: "required-note",
      text: question.required ? t("form.required_note") : t("form.optional_note"),
    }),
    ctx.errorSlot(question.id),
    holder,
    offersNa
      ? el(
          "label",
          { class: "card na-card" },
          naInput,
          el("span", { class: "card-text" }, el("strong", { text: t("form.na") }), " ", t("form.na_help")),
        )
      : null,
  );

  function validate() {
    if (!question.required || isAnswered(question, state.answers[question.id])) return {};
    const message = t(`form.required.${question.kind}`);
    return { [question.id]: offersNa ? `${message} ${t("form.required.or_na")}` : message };
  }

  return { heading: question.text, body, validate };
}
