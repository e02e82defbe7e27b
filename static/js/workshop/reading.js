// The reading panel: the stories behind a selection, a page at a time, large enough to
// read aloud. Every text is set with textContent; nothing is parsed as markup.

export function createReader(config) {
  const t = (key, params = {}) =>
    (config.messages[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
  const panel = document.getElementById("ws-reading");
  const list = document.getElementById("ws-stories");
  const status = document.getElementById("ws-reading-status");
  const pager = document.getElementById("ws-pager");
  const pageLabel = document.getElementById("ws-page");
  let current = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function story(item) {
    const entry = element("li", "ws-story");
    entry.dataset.seq = String(item.seq);
    entry.append(element("h3", "ws-story-title", item.title));
    const meta = [item.told, item.prompt, item.language].filter(Boolean).join(" · ");
    entry.append(element("p", "ws-story-meta", meta));
    entry.append(element("p", "ws-story-text", item.story));
    if (item.signification.length) {
      const told = element("dl", "ws-told");
      for (const part of item.signification) {
        told.append(element("dt", "", part.question), element("dd", "", part.answer));
      }
      const details = element("details", "ws-told-wrap");
      details.append(element("summary", "", t("workshop.js_signification")), told);
      entry.append(details);
    }
    const keep = element("label", "choice ws-keep");
    const box = element("input");
    box.type = "checkbox";
    box.className = "ws-keep-box";
    box.value = String(item.seq);
    keep.append(box, document.createTextNode(` ${t("workshop.js_keep")}`));
    entry.append(keep);
    return entry;
  }

  async function load(page) {
    const params = new URLSearchParams(current.query ?? config.query);
    if (config.lang) params.set("lang", config.lang);
    if (current.pick) params.set("pick", current.pick);
    if (current.sel) params.set("sel", current.sel);
    params.set("page", String(page));
    status.textContent = t("workshop.js_loading");
    panel.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${config.stories}?${params}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json();
      if (!response.ok) {
        status.textContent = Object.values(body.errors || {})[0] || t("workshop.js_failed");
        return;
      }
      list.replaceChildren(...body.stories.map(story));
      status.textContent = body.heading;
      pager.hidden = body.pages <= 1;
      pageLabel.textContent = t("workshop.js_page", { page: body.page, pages: body.pages });
      current.page = body.page;
      current.pages = body.pages;
      panel.dataset.selection = current.sel || "";
      panel.focus({ preventScroll: true });
      panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    } catch {
      status.textContent = t("workshop.js_failed");
    } finally {
      panel.removeAttribute("aria-busy");
    }
  }

  document.getElementById("ws-prev").addEventListener("click", () => {
    if (current && current.page > 1) load(current.page - 1);
  });
  document.getElementById("ws-next").addEventListener("click", () => {
    if (current && current.page < current.pages) load(current.page + 1);
  });

  return {
    show(selection) {
      current = { ...selection, page: 1, pages: 1 };
      load(1);
    },
    kept() {
      return [...list.querySelectorAll(".ws-keep-box:checked")].map((box) => box.value);
    },
    selection() {
      return current;
    },
  };
}
