// Stones: labelled stones placed on a square canvas with two labelled axes.
//
// Each placed stone answers [x, y] in [0, 1] (x = 0 left/low, y = 0 bottom/low); stones
// left in the tray are simply not in the answer. Stones can be dragged, or tapped and then
// placed with a tap on the canvas (for hands that cannot drag), or moved with the keyboard.

import { clamp, el, round, svg, uid } from "./dom.js";
import { positionText, towards } from "./i18n.js";

const SMALL_STEP = 0.05;
const BIG_STEP = 0.2;
const DRAG_THRESHOLD = 6; // px a pointer moves before a tap becomes a drag
const DROP_SLACK = 24; // px outside the canvas that still count as "on it"

export function describeStones(question, answer, t) {
  const { x, y } = question.axes;
  return question.stones
    .map((stone) => {
      const at = answer && answer[stone.id];
      if (!at) return t("form.stones.review_unplaced", { stone: stone.text });
      return t("form.stones.review_placed", {
        stone: stone.text,
        x: towards(at[0], x.low, x.high, t),
        y: towards(at[1], y.low, y.high, t),
      });
    })
    .join("; ");
}

export function createStones(question, { value, onChange, t, labelledBy, describedBy }) {
  const { x: xAxis, y: yAxis } = question.axes;
  const positions = {};
  for (const [id, at] of Object.entries(value && typeof value === "object" ? value : {})) {
    if (Array.isArray(at)) positions[id] = at.slice();
  }
  const helpId = uid("stones-help");
  const trayId = uid("stones-tray");
  let picked = null;

  const status = el("p", { class: "stones-status", "aria-live": "polite" });
  const layer = el("div", { class: "stones-layer" });
  const canvas = el(
    "div",
    { class: "stones-canvas" },
    svg(
      "svg",
      { class: "stones-svg", viewBox: "0 0 100 100", "aria-hidden": "true", "data-testid": "stones-canvas" },
      svg("rect", { class: "stones-field", x: 0, y: 0, width: 100, height: 100 }),
      svg("line", { class: "stones-guide", x1: 50, y1: 0, x2: 50, y2: 100 }),
      svg("line", { class: "stones-guide", x1: 0, y1: 50, x2: 100, y2: 50 }),
    ),
    layer,
  );
  const tray = el("ul", { class: "stones-tray-list" });
  const stones = {};
  const slots = {};

  function report() {
    const placed = {};
    for (const stone of question.stones) {
      if (positions[stone.id]) placed[stone.id] = positions[stone.id].slice();
    }
    onChange(Object.keys(placed).length ? placed : undefined);
  }

  function show(stone) {
    const chip = stones[stone.id];
    const at = positions[stone.id];
    const hadFocus = document.activeElement === chip;
    const slot = slots[stone.id];
    slot.replaceChildren();
    if (at) {
      if (chip.parentNode !== layer) layer.append(chip);
      chip.style.left = `${at[0] * 100}%`;
      chip.style.top = `${(1 - at[1]) * 100}%`;
      chip.setAttribute("aria-valuenow", Math.round(at[0] * 100));
      chip.setAttribute(
        "aria-valuetext",
        t("form.stones.position", {
          x: positionText(at[0], xAxis.low, xAxis.high, t),
          y: positionText(at[1], yAxis.low, yAxis.high, t),
        }),
      );
      slot.append(
        el("button", {
          type: "button",
          class: "stones-put-back",
          text: t("form.stones.put_back", { stone: stone.text }),
          onclick: () => putBack(stone),
        }),
      );
    } else {
      chip.style.left = "";
      chip.style.top = "";
      chip.setAttribute("aria-valuenow", 0);
      chip.setAttribute("aria-valuetext", t("form.stones.in_tray"));
      slot.append(chip);
    }
    if (hadFocus) chip.focus({ preventScroll: true });
  }

  function place(stone, x, y) {
    positions[stone.id] = [round(clamp(x, 0, 1)), round(clamp(y, 0, 1))];
    pick(null);
    show(stone);
    report();
  }

  function putBack(stone) {
    delete positions[stone.id];
    pick(null);
    show(stone);
    report();
    stones[stone.id].focus({ preventScroll: true });
  }

  function pick(stone) {
    if (picked) stones[picked.id].classList.remove("is-picked");
    picked = stone;
    canvas.classList.toggle("is-waiting", Boolean(stone));
    if (stone) {
      stones[stone.id].classList.add("is-picked");
      status.textContent = t("form.stones.picked", { stone: stone.text });
    } else {
      status.textContent = "";
    }
  }

  /** The canvas position under a client point, or null when it is off the canvas. */
  function canvasAt(clientX, clientY, slack = 0) {
    const box = canvas.getBoundingClientRect();
    const inside =
      clientX >= box.left - slack &&
      clientX <= box.right + slack &&
      clientY >= box.top - slack &&
      clientY <= box.bottom + slack;
    if (!inside) return null;
    return [(clientX - box.left) / box.width, 1 - (clientY - box.top) / box.height];
  }

  // A tap on the canvas places the stone picked before (the way without dragging).
  canvas.addEventListener("pointerdown", (event) => {
    if (event.target.closest(".stone")) return;
    if (!picked) {
      status.textContent = t("form.stones.pick_first");
      return;
    }
    event.preventDefault();
    const at = canvasAt(event.clientX, event.clientY);
    if (at) {
      const stone = picked;
      place(stone, ...at);
      stones[stone.id].focus({ preventScroll: true });
    }
  });

  function makeChip(stone) {
    const chip = el(
      "div",
      {
        class: "stone",
        role: "slider",
        tabindex: 0,
        "aria-label": stone.text,
        "aria-describedby": helpId,
        "aria-valuemin": 0,
        "aria-valuemax": 100,
        "data-stone": stone.id,
      },
      el("span", { class: "stone-text", text: stone.text }),
    );
    let drag = null;
    chip.addEventListener("pointerdown", (event) => {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      event.preventDefault();
      chip.focus({ preventScroll: true });
      chip.setPointerCapture(event.pointerId);
      const box = chip.getBoundingClientRect();
      drag = {
        id: event.pointerId,
        startX: event.clientX,
        startY: event.clientY,
        // Keep the spot where the stone was grabbed under the finger.
        offsetX: event.clientX - (box.left + box.width / 2),
        offsetY: event.clientY - (box.top + box.height / 2),
        moved: false,
      };
    });
    chip.addEventListener("pointermove", (event) => {
      if (!drag || drag.id !== event.pointerId) return;
      const dx = event.clientX - drag.startX;
      const dy = event.clientY - drag.startY;
      if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      drag.moved = true;
      chip.classList.add("is-dragging");
      chip.style.translate = `${dx}px ${dy}px`;
    });
    const end = (event, cancelled) => {
      if (!drag || drag.id !== event.pointerId) return;
      const { moved, offsetX, offsetY } = drag;
      drag = null;
      chip.classList.remove("is-dragging");
      chip.style.translate = "";
      if (cancelled) return;
      if (!moved) {
        pick(picked === stone ? null : stone);
        return;
      }
      const at = canvasAt(event.clientX - offsetX, event.clientY - offsetY, DROP_SLACK);
      if (at) place(stone, ...at);
      else if (positions[stone.id]) putBack(stone);
    };
    chip.addEventListener("pointerup", (event) => end(event, false));
    chip.addEventListener("pointercancel", (event) => end(event, true));
    chip.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? BIG_STEP : SMALL_STEP;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      const at = positions[stone.id];
      if (event.key in moves) {
        const [dx, dy] = moves[event.key];
        if (at) place(stone, at[0] + dx, at[1] + dy);
        else place(stone, 0.5, 0.5);
      } else if (event.key === "Enter" || event.key === " ") {
        if (!at) place(stone, 0.5, 0.5);
      } else if ((event.key === "Delete" || event.key === "Backspace") && at) {
        putBack(stone);
      } else if (event.key === "Escape" && picked) {
        pick(null);
      } else {
        return;
      }
      event.preventDefault();
    });
    return chip;
  }

  for (const stone of question.stones) {
    stones[stone.id] = makeChip(stone);
    slots[stone.id] = el("li", { class: "stones-slot" });
    tray.append(slots[stone.id]);
    show(stone);
  }

  // The arrows show which way an axis runs; screen readers get the words only.
  const arrow = (symbol) => el("span", { class: "axis-arrow", "aria-hidden": "true", text: symbol });
  const axisLabel = (className, text, before, after) =>
    text ? el("p", { class: className }, before ? arrow(before) : null, text, after ? arrow(after) : null) : null;
  const element = el(
    "div",
    { class: "stones", role: "group", "aria-labelledby": labelledBy, "aria-describedby": describedBy || null },
    el("p", { class: "widget-help", id: helpId, text: t("form.stones.help") }),
    el(
      "div",
      { class: "stones-main" },
      el(
        "div",
        { class: "stones-board" },
        el(
          "div",
          { class: "stones-y" },
          axisLabel("stones-axis-high", yAxis.high, "↑"),
          axisLabel("stones-axis-title", yAxis.text),
          axisLabel("stones-axis-low", yAxis.low, "↓"),
        ),
        canvas,
        el(
          "div",
          { class: "stones-x" },
          axisLabel("stones-axis-low", xAxis.low, "←"),
          axisLabel("stones-axis-title", xAxis.text),
          axisLabel("stones-axis-high", xAxis.high, null, "→"),
        ),
      ),
      el(
        "div",
        { class: "stones-tray", role: "group", "aria-labelledby": trayId },
        el("p", { class: "stones-tray-title", id: trayId, text: t("form.stones.tray") }),
        tray,
        status,
      ),
    ),
  );
  return { element, focus: () => stones[question.stones[0].id].focus() };
}
