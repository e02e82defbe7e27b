// Small helpers for building the form's DOM without innerHTML.
//
// Every text goes in through textContent, so nothing a teller (or a survey author) wrote
// can ever be read as markup. There is no way to set a `style` attribute here on purpose:
// the Content-Security-Policy forbids inline styles; positions go through element.style.

const SVG_NS = "http://www.w3.org/2000/svg";
let counter = 0;

/** A unique id for wiring labels, hints and errors to their controls. */
export function uid(prefix) {
  counter += 1;
  return `sm-${prefix}-${counter}`;
}

function apply(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "style") throw new Error("inline styles are not allowed (CSP)");
    if (name === "text") node.textContent = value;
    else if (name === "class") node.setAttribute("class", value);
    else if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** An HTML element: el("p", {class: "hint", text: "…"}), or with children after attrs. */
export function el(tag, attrs, ...children) {
  return append(apply(document.createElement(tag), attrs), children);
}

/** An SVG element, with geometry attributes. */
export function svg(tag, attrs, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** Text only screen readers hear. */
export function hidden(text) {
  return el("span", { class: "visually-hidden", text });
}

/** The client point (clientX, clientY) in an SVG element's own user units. */
export function svgPoint(svgRoot, clientX, clientY) {
  const matrix = svgRoot.getScreenCTM();
  if (!matrix) return { x: 0, y: 0 };
  const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
  return { x: point.x, y: point.y };
}

export function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/** Round to a few decimals so stored numbers stay tidy. */
export function round(value, decimals = 4) {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * Follow one pointer (finger, pen or mouse) from press to release on `area` and call
 * `onPoint(event)` at the press and at every move. Capturing the pointer keeps the
 * drag going when it leaves the widget, so the point can be pushed against an edge.
 */
export function followPointer(area, onPoint) {
  let dragging = null;
  area.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    event.preventDefault(); // no text selection or page scroll while placing the point
    area.focus({ preventScroll: true });
    area.setPointerCapture(event.pointerId);
    dragging = event.pointerId;
    onPoint(event);
  });
  area.addEventListener("pointermove", (event) => {
    if (dragging === event.pointerId) onPoint(event);
  });
  const stop = (event) => {
    if (dragging !== event.pointerId) return;
    dragging = null;
    if (area.hasPointerCapture(event.pointerId)) area.releasePointerCapture(event.pointerId);
  };
  area.addEventListener("pointerup", stop);
  area.addEventListener("pointercancel", stop);
}
