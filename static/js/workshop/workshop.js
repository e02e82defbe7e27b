// The workshop's pictures: draws every chart with the Vega bundle served by this app, and
// turns a click or a brush on a picture into the reading panel's list of stories.
// Nothing a teller wrote is ever inserted as markup: stories go in with textContent.
import { createReader } from "./reading.js";

const config = JSON.parse(document.getElementById("ws-config").textContent);
const reader = createReader(config);

// Vega's expressions run through its interpreter (ast: true): the page's Content
// Security Policy allows no eval. defaultStyle: false keeps vega-embed from adding a
// <style> element, which the policy would refuse; tooltips are drawn by our own handler.
const tooltip = createTooltip();
// The specs come without their $schema link (no page names another host): say the mode.
const OPTIONS = {
  mode: "vega-lite",
  actions: false,
  ast: true,
  renderer: "svg",
  defaultStyle: false,
  tooltip,
};

function createTooltip() {
  const box = document.createElement("div");
  box.className = "ws-tooltip";
  box.hidden = true;
  document.body.append(box);
  return (_handler, event, _item, value) => {
    if (value === null || value === undefined || value === "") {
      box.hidden = true;
      return;
    }
    box.replaceChildren();
    const entries = typeof value === "object" ? Object.entries(value) : [["", value]];
    for (const [key, shown] of entries) {
      const line = document.createElement("div");
      line.textContent = key ? `${key}: ${shown}` : String(shown);
      box.append(line);
    }
    box.hidden = false;
    // CSSOM writes, not a style attribute: allowed by the policy.
    box.style.left = `${event.pageX + 14}px`;
    box.style.top = `${event.pageY + 14}px`;
  };
}

// What a click on a mark selects, from the datum the chart was given.
function selectionFor(figure, datum) {
  if (!datum) return null;
  if (datum.seq !== undefined) return `seq:${datum.seq}`;
  if (datum.cell !== undefined) return `cell:${figure.dataset.resolution}:${datum.cell}`;
  if (datum.part === "bin") return `range:${datum.start}:${datum.end}`;
  if (datum.part === "option") return `option:${datum.id}`;
  if (datum.part === "area") return `area:${datum.area}:${datum.q1}:${datum.q3}`;
  if (datum.part === "stone" && datum.x1 !== null) {
    return `box:${datum.x1}:${datum.x3}:${datum.y1}:${datum.y3}:${datum.id}`;
  }
  if (datum.part === "cluster") return { cluster: datum.cluster };
  return null;
}

// What a brushed region selects: {x: [a, b], y: [c, d]} or a dyad's {start: [a, b]}.
function brushSelection(value) {
  if (!value || typeof value !== "object") return null;
  const round = (n) => Number(n).toFixed(4);
  if (value.start) return `range:${round(value.start[0])}:${round(value.start[1])}`;
  if (value.x && value.y) {
    return `box:${round(value.x[0])}:${round(value.x[1])}:${round(value.y[0])}:${round(value.y[1])}`;
  }
  return null;
}

async function draw(figure) {
  const spec = JSON.parse(document.getElementById(figure.dataset.spec).textContent);
  const target = figure.querySelector(".ws-chart-view");
  const { view } = await window.vegaEmbed(target, spec, OPTIONS);
  const question = figure.dataset.question || null;
  const query = figure.dataset.query ?? null; // a side-by-side group brings its own filter
  view.addEventListener("click", (_event, item) => {
    const chosen = selectionFor(figure, item && item.datum);
    if (chosen && typeof chosen === "object") {
      reader.show({ query: `${figure.dataset.clusterQuery}&cluster=${chosen.cluster}` });
    } else if (chosen) {
      reader.show({ pick: question, sel: chosen, query });
    }
  });
  let pending = null;
  try {
    view.addSignalListener("brush", (_name, value) => {
      clearTimeout(pending);
      const chosen = brushSelection(value);
      if (chosen) pending = setTimeout(() => reader.show({ pick: question, sel: chosen, query }), 350);
    });
  } catch {
    // This chart has no brush.
  }
  figure.vegaView = view; // for tests and the curious: the drawn Vega view
  figure.classList.add("ws-drawn");
}

for (const figure of document.querySelectorAll(".ws-chart")) {
  draw(figure).catch((error) => {
    figure.classList.add("ws-failed");
    const note = document.createElement("p");
    note.className = "flash error";
    note.textContent = config.messages["workshop.js_chart_failed"];
    figure.append(note);
    console.error(error);
  });
}

// Keeping an observation: the stories ticked in the reading panel, and what was clicked.
const observe = document.getElementById("ws-observe");
if (observe) {
  observe.addEventListener("submit", () => {
    observe.elements.stories.value = reader.kept().join(",");
    const chosen = reader.selection();
    if (chosen && chosen.pick) observe.elements.picture.value = chosen.pick;
    if (chosen && chosen.sel) observe.elements.selection.value = chosen.sel;
  });
}
