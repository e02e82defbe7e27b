// The star: each life or work area rated on a ladder from 1 to 10 (Outcome Star style).
//
// Each area is a fieldset of ten large radio buttons grouped under the stage names that
// span them ("Stuck" 1–3, "Trying" 4–7, …), so the ladder reads as steps, not a score.
// With allow_na an area can also be "does not apply".

import { el, hidden, uid } from "./dom.js";

const NA = "na";

export function describeStar(question, answer, t) {
  return question.areas
    .map((area) => {
      const rating = answer && answer[area.id];
      if (rating === NA) return t("form.star.review_na", { area: area.text });
      if (typeof rating !== "number") return t("form.star.review_none", { area: area.text });
      const stage = question.stages.find((s) => s.from <= rating && rating <= s.to);
      return t("form.star.review_rating", { area: area.text, step: rating, stage: stage ? stage.text : "" });
    })
    .join("; ");
}

export function createStar(question, { value, onChange, t, describedBy }) {
  const ratings = { ...(value && typeof value === "object" ? value : {}) };
  const helpId = uid("star-help");

  function report() {
    onChange(Object.keys(ratings).length ? { ...ratings } : undefined);
  }

  function radio(name, areaId, rating, ...label) {
    const input = el("input", {
      type: "radio",
      name,
      value: String(rating),
      class: "star-input",
      checked: ratings[areaId] === rating,
      "data-area": areaId,
    });
    input.addEventListener("change", () => {
      if (!input.checked) return;
      ratings[areaId] = rating;
      report();
    });
    const face = el("span", { class: "star-face" }, ...label);
    return el("label", { class: rating === NA ? "star-choice star-na" : "star-choice" }, input, face);
  }

  const areas = question.areas.map((area) => {
    const name = uid(`star-${area.id}`);
    const stages = question.stages.map((stage) => {
      const steps = [];
      for (let step = stage.from; step <= stage.to; step += 1) {
        // The number is what the eye sees; the stage name is said along with it.
        const spoken = hidden(` ${t("form.star.step_stage", { stage: stage.text })}`);
        steps.push(radio(name, area.id, step, String(step), spoken));
      }
      return el(
        "div",
        { class: "star-stage" },
        el("p", { class: "star-stage-name", "aria-hidden": "true", text: stage.text }),
        el("div", { class: "star-steps" }, steps),
      );
    });
    return el(
      "fieldset",
      { class: "star-area", "aria-describedby": `${describedBy || ""} ${helpId}`.trim() },
      el("legend", { class: "star-legend", text: area.text }),
      el("div", { class: "star-ladder" }, stages),
      question.allow_na ? radio(name, area.id, NA, t("form.na")) : null,
    );
  });

  const element = el(
    "div",
    { class: "star" },
    el("p", { class: describedBy ? "visually-hidden" : "widget-help", id: helpId, text: t("form.star.help") }),
    areas,
  );
  return { element, focus: () => element.querySelector("input").focus() };
}
