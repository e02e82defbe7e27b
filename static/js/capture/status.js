// What the teller and the staff see of the outbox: whether stories are sent or waiting,
// in words, and the stories the server refused, with its message and a way to try again.
//
// Only numbers, times and the server's messages are shown here — never a word of a story,
// since on a shared tablet the next person may be reading.

import { el } from "./dom.js";
import { entries } from "./outbox.js";

/** The status line under the form, and the staff's list of refused stories. */
export function deliveryStatus({ t, retry }) {
  const line = el("p", { class: "delivery-line" });
  const list = el("ul", { class: "attention-list" });
  const attention = el(
    "details",
    { class: "attention", hidden: true },
    el("summary", { class: "attention-summary" }),
    el("p", { text: t("form.delivery.attention_help") }),
    list,
    el("button", { type: "button", class: "button button-secondary", text: t("form.delivery.retry"), onclick: retry }),
  );
  const element = el("div", { class: "delivery", role: "status" }, line, attention);

  async function update(summary) {
    line.hidden = summary.waiting === 0;
    line.textContent = summary.waiting ? t("form.delivery.waiting_count", { count: summary.waiting }) : "";
    attention.hidden = summary.attention === 0;
    if (!summary.attention) return;
    attention.querySelector("summary").textContent = t("form.delivery.attention_count", {
      count: summary.attention,
    });
    const refused = (await entries()).filter((entry) => entry.state === "attention");
    list.replaceChildren(
      ...refused.map((entry) =>
        el(
          "li",
          {},
          el("span", { class: "attention-when", text: t("form.delivery.told_at", { when: entry.queuedAt.slice(0, 16).replace("T", " ") }) }),
          " ",
          Object.values(entry.errors || {}).join(" "),
        ),
      ),
    );
  }

  return { element, update };
}

/** The thank-you screen: sent or waiting, in words, and the receipt code once it is sent. */
export function thanksView({ t, kiosk, withdrawUrl, startAgain }) {
  const state = el("p", { class: "delivery-state" });
  const explain = el("p", { class: "delivery-explain", hidden: true });
  const receipt = el("div", { class: "receipt", hidden: true });

  function sent(code) {
    state.textContent = t("form.delivery.sent");
    state.className = "delivery-state is-sent";
    explain.hidden = true;
    if (!code) return;
    const address = new URL(withdrawUrl, window.location.href).href;
    receipt.replaceChildren(
      el("p", { class: "receipt-label", text: t("form.receipt.label") }),
      el("p", { class: "receipt-code", text: code }),
      el("p", { text: t("form.receipt.keep") }),
      el("p", {}, t("form.receipt.withdraw"), " ", el("span", { class: "receipt-address", text: address })),
    );
    receipt.hidden = false;
  }

  function waiting() {
    state.textContent = t("form.delivery.waiting");
    state.className = "delivery-state is-waiting";
    explain.textContent = kiosk ? t("form.delivery.waiting_kiosk") : t("form.delivery.waiting_own");
    explain.hidden = false;
  }

  const body = el(
    "div",
    { class: "thanks" },
    el("div", { role: "status" }, state, explain),
    receipt,
    el("p", { text: t("form.delivery.helps") }),
    el("p", { text: kiosk ? t("form.kiosk.next_person") : t("form.thanks.next") }),
    el("button", {
      type: "button",
      class: "button button-primary button-again",
      text: t("form.thanks.another"),
      onclick: startAgain,
    }),
  );
  return { heading: t("form.thanks.heading"), body, sent, waiting };
}
