// The dyad: one point on a line between two labelled poles; the answer is x in [0, 1].
//
// No numbers are shown: the teller places the point by feel, between two words. Screen
// readers hear the position in words ("mostly towards Calm") with the shares after it.

import { clamp, el, followPointer, round, svg, uid } from "./dom.js";
import { positionText, towards } from "./i18n.js";

// The line runs from 6 % to 94 % of the drawing's width, so the point fits at both ends.
const START = 0.06;
const END = 0.94;
const SMALL_STEP = 0.05;
const BIG_STEP = 0.2;

const percent = (fraction) => `${round(fraction * 100, 3)}%`;
const along = (x) => START + x * (END - START);

export function describeDyad(question, answer, t) {
  if (typeof answer !== "number") return t("form.dyad.unset");
  const [left, right] = question.labels;
  return towards(answer, left.text, right.text, t);
}

export function createDyad(question, { value, onChange, t, labelledBy, describedBy = "" }) {
  const [left, right] = question.labels;
  let x = typeof value === "number" ? value : null;
  const helpId = uid("dyad-help");

  const point = svg("circle", { class: "dyad-point", cy: "50%", r: 16, visibility: "hidden" });
  const area = svg(
    "svg",
    {
      class: "dyad-svg",
      role: "slider",
      tabindex: 0,
      "aria-labelledby": labelledBy,
      "aria-describedby": `${describedBy} ${helpId}`.trim(),
      "aria-valuemin": 0,
      "aria-valuemax": 100,
      "aria-orientation": "horizontal",
      "data-testid": "dyad",
    },
    svg("line", {
      class: "dyad-line",
      x1: percent(START),
      x2: percent(END),
      y1: "50%",
      y2: "50%",
    }),
    [0, 0.5, 1].map((at) =>
      svg("line", {
        class: at === 0.5 ? "dyad-tick dyad-tick-middle" : "dyad-tick",
        x1: percent(along(at)),
        x2: percent(along(at)),
        y1: "30%",
        y2: "70%",
      }),
    ),
    point,
  );

  function show() {
    if (x === null) {
      point.setAttribute("visibility", "hidden");
      area.setAttribute("aria-valuenow", 0);
      area.setAttribute("aria-valuetext", t("form.dyad.unset"));
      return;
    }
    point.setAttribute("cx", percent(along(x)));
    point.setAttribute("visibility", "visible");
    area.setAttribute("aria-valuenow", Math.round(x * 100));
    area.setAttribute("aria-valuetext", positionText(x, left.text, right.text, t));
  }

  function moveTo(next) {
    x = round(clamp(next, 0, 1), 4);
    show();
    onChange(x);
  }

  function fromPointer(event) {
    const box = area.getBoundingClientRect();
    const start = box.left + START * box.width;
    return (event.clientX - start) / ((END - START) * box.width);
  }

  followPointer(area, (event) => moveTo(fromPointer(event)));

  area.addEventListener("keydown", (event) => {
    const step = event.shiftKey ? BIG_STEP : SMALL_STEP;
    const moves = {
      ArrowLeft: -step,
      ArrowDown: -step,
      ArrowRight: step,
      ArrowUp: step,
      PageDown: -BIG_STEP,
      PageUp: BIG_STEP,
    };
    if (event.key === "Home") moveTo(0);
    else if (event.key === "End") moveTo(1);
    else if (event.key in moves) moveTo(x === null ? 0.5 : x + moves[event.key]);
    else if ((event.key === "Enter" || event.key === " ") && x === null) moveTo(0.5);
    else return;
    event.preventDefault();
  });

  show();
  const element = el(
    "div",
    { class: "dyad" },
    el("p", { class: describedBy ? "visually-hidden" : "widget-help", id: helpId, text: t("form.dyad.help") }),
    el(
      "div",
      { class: "dyad-poles" },
      el("p", { class: "dyad-pole dyad-pole-left", text: left.text }),
      el("p", { class: "dyad-pole dyad-pole-right", text: right.text }),
    ),
    area,
  );
  return { element, focus: () => area.focus() };
}
