// The form's words, from the `form.*` part of the message catalogue (sensemaker/messages.yaml).
//
// The server hands the catalogue in the page's language; this module only fills in
// `{name}` placeholders and formats numbers the local way ("10 000" in Swedish).

export function createTranslator(messages, language) {
  const numbers = new Intl.NumberFormat(language);

  function t(key, params = {}) {
    const text = messages[key];
    if (text === undefined) {
      // A missing key is a bug in the catalogue; show the key rather than nothing.
      console.error(`sensemaker: missing message ${key}`);
      return key;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name) => {
      if (!(name in params)) return whole;
      const value = params[name];
      return typeof value === "number" ? numbers.format(value) : String(value);
    });
  }

  return t;
}

/** Whole percentages that add up to exactly 100 (largest remainder), for shares. */
export function percentages(shares) {
  const raw = shares.map((share) => share * 100);
  const floors = raw.map(Math.floor);
  let missing = 100 - floors.reduce((sum, value) => sum + value, 0);
  const order = raw
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest);
  for (const { index } of order) {
    if (missing <= 0) break;
    floors[index] += 1;
    missing -= 1;
  }
  return floors;
}

/**
 * Where a value in [0, 1] lies between two poles, in words ("mostly towards Calm").
 * Shared by the dyad and the stones, so both speak about positions the same way.
 */
export function towards(value, lowLabel, highLabel, t) {
  const distance = Math.abs(value - 0.5);
  if (distance <= 0.05) return t("form.position.middle");
  const pole = value < 0.5 ? lowLabel : highLabel;
  if (distance < 0.2) return t("form.position.slightly", { pole });
  if (distance < 0.42) return t("form.position.mostly", { pole });
  return t("form.position.fully", { pole });
}

/** Words and exact shares together, for screen readers: "mostly towards Calm (25 % …)". */
export function positionText(value, lowLabel, highLabel, t) {
  const [low, high] = percentages([1 - value, value]);
  return t("form.position.detail", {
    where: towards(value, lowLabel, highLabel, t),
    low,
    low_label: lowLabel,
    high,
    high_label: highLabel,
  });
}
