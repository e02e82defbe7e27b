// The triad: one point inside a triangle whose corners carry three labels.
//
// The answer is the point's barycentric coordinates — three shares in label order (top,
// bottom-left, bottom-right) that sum to 1. The point can never leave the triangle: any
// position outside is moved to the nearest point on the triangle's edge.

import { clamp, el, followPointer, round, svg, svgPoint, uid } from "./dom.js";
import { percentages } from "./i18n.js";

const SIDE = 100;
const HEIGHT = (Math.sqrt(3) / 2) * SIDE;
const TOP = { x: SIDE / 2, y: 0 };
const LEFT = { x: 0, y: HEIGHT };
const RIGHT = { x: SIDE, y: HEIGHT };
const CENTRE = { x: SIDE / 2, y: (HEIGHT * 2) / 3 };
const MARGIN = 7; // room for the point's circle at a corner
const SMALL_STEP = 2; // keyboard steps, in the triangle's own units (side = 100)
const BIG_STEP = 10;

/** The three barycentric coordinates of a point, unclamped (negative outside). */
function rawShares(point) {
  const denominator = (LEFT.y - RIGHT.y) * (TOP.x - RIGHT.x) + (RIGHT.x - LEFT.x) * (TOP.y - RIGHT.y);
  const a = ((LEFT.y - RIGHT.y) * (point.x - RIGHT.x) + (RIGHT.x - LEFT.x) * (point.y - RIGHT.y)) / denominator;
  const b = ((RIGHT.y - TOP.y) * (point.x - RIGHT.x) + (TOP.x - RIGHT.x) * (point.y - RIGHT.y)) / denominator;
  return [a, b, 1 - a - b];
}

function nearestOnSegment(point, start, end) {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const along = clamp(((point.x - start.x) * dx + (point.y - start.y) * dy) / (dx * dx + dy * dy), 0, 1);
  return { x: start.x + along * dx, y: start.y + along * dy };
}

/** The point itself when inside the triangle, else the nearest point on its edge. */
export function insideTriangle(point) {
  if (rawShares(point).every((share) => share >= 0)) return point;
  let best = null;
  let bestDistance = Infinity;
  for (const [start, end] of [[TOP, LEFT], [LEFT, RIGHT], [RIGHT, TOP]]) {
    const candidate = nearestOnSegment(point, start, end);
    const distance = Math.hypot(candidate.x - point.x, candidate.y - point.y);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Shares for a point in the triangle: two are computed and rounded, the third is
 * 1 minus the others, so the three always sum to 1 and none is negative.
 */
export function sharesAt(point) {
  const [rawA, rawB] = rawShares(insideTriangle(point));
  const a = clamp(round(rawA), 0, 1);
  let b = clamp(round(rawB), 0, 1);
  if (a + b > 1) b = round(1 - a);
  const c = Math.max(0, round(1 - a - b));
  return [a, b, c];
}

export function pointAt([a, b, c]) {
  return {
    x: a * TOP.x + b * LEFT.x + c * RIGHT.x,
    y: a * TOP.y + b * LEFT.y + c * RIGHT.y,
  };
}

/** The shares in words: "45 % Bemötande, 30 % Väntetid, 25 % Information". */
export function describeTriad(question, answer, t) {
  if (!Array.isArray(answer)) return t("form.triad.unset");
  const percents = percentages(answer);
  return question.labels
    .map((label, index) => t("form.triad.share", { percent: percents[index], label: label.text }))
    .join(", ");
}

export function createTriad(question, { value, onChange, t, labelledBy, describedBy = "" }) {
  let shares = Array.isArray(value) ? value.slice() : null;
  const helpId = uid("triad-help");
  const [topLabel, leftLabel, rightLabel] = question.labels;

  const point = svg("circle", { class: "triad-point", r: 5, visibility: "hidden" });
  const area = svg(
    "svg",
    {
      class: "triad-svg",
      viewBox: `${-MARGIN} ${-MARGIN} ${SIDE + 2 * MARGIN} ${HEIGHT + 2 * MARGIN}`,
      role: "slider",
      tabindex: 0,
      "aria-labelledby": labelledBy,
      "aria-describedby": `${describedBy} ${helpId}`.trim(),
      "aria-valuemin": 0,
      "aria-valuemax": 100,
      "data-testid": "triad",
    },
    svg("polygon", {
      class: "triad-shape",
      points: [TOP, LEFT, RIGHT].map((p) => `${p.x},${p.y}`).join(" "),
    }),
    // Faint lines from each corner to the middle of the far side help judge "equal".
    [[TOP, LEFT, RIGHT], [LEFT, RIGHT, TOP], [RIGHT, TOP, LEFT]].map(([from, p, q]) =>
      svg("line", {
        class: "triad-guide",
        x1: from.x,
        y1: from.y,
        x2: (p.x + q.x) / 2,
        y2: (p.y + q.y) / 2,
      }),
    ),
    [TOP, LEFT, RIGHT].map((corner) => svg("circle", { class: "triad-corner", cx: corner.x, cy: corner.y, r: 2 })),
    point,
  );

  function show() {
    if (shares) {
      const at = pointAt(shares);
      point.setAttribute("cx", at.x);
      point.setAttribute("cy", at.y);
      point.setAttribute("visibility", "visible");
      area.setAttribute("aria-valuenow", percentages(shares)[0]);
    } else {
      point.setAttribute("visibility", "hidden");
      area.setAttribute("aria-valuenow", 0);
    }
    area.setAttribute("aria-valuetext", describeTriad(question, shares, t));
  }

  function moveTo(target) {
    shares = sharesAt(target);
    show();
    onChange(shares.slice());
  }

  followPointer(area, (event) => moveTo(svgPoint(area, event.clientX, event.clientY)));

  area.addEventListener("keydown", (event) => {
    const step = event.shiftKey ? BIG_STEP : SMALL_STEP;
    const moves = {
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
    };
    if (event.key === "Home") {
      moveTo(CENTRE);
    } else if (event.key in moves) {
      // The first key press puts the point in the middle; later ones move it.
      const from = shares ? pointAt(shares) : null;
      const [dx, dy] = moves[event.key];
      moveTo(from ? { x: from.x + dx, y: from.y + dy } : CENTRE);
    } else if ((event.key === "Enter" || event.key === " ") && !shares) {
      moveTo(CENTRE);
    } else {
      return;
    }
    event.preventDefault();
  });

  show();
  const element = el(
    "div",
    { class: "triad" },
    el("p", { class: describedBy ? "visually-hidden" : "widget-help", id: helpId, text: t("form.triad.help") }),
    el("p", { class: "triad-label triad-label-top", text: topLabel.text }),
    el("div", { class: "triad-area" }, area),
    el(
      "div",
      { class: "triad-bottom" },
      el("p", { class: "triad-label triad-label-left", text: leftLabel.text }),
      el("p", { class: "triad-label triad-label-right", text: rightLabel.text }),
    ),
  );
  return { element, focus: () => area.focus() };
}
