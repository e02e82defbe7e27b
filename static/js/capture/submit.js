// Sending a fragment (one story and its signification) to the server.
//
// The fragment id is made here, once per story, and kept across retries: the server
// stores a fragment once and answers a repeat of the same body with 200, so sending again
// after a dropped connection can never store the story twice.

const TIMEOUT_MS = 20000;

/** A random (version 4) UUID; crypto.randomUUID only exists on https and localhost. */
export function newFragmentId() {
  if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The request body in the shape of POST /api/v1/surveys/<id>/fragments. */
export function buildFragment(state, definition) {
  const answers = {};
  for (const question of definition.questions) {
    // Unanswered optional questions are left out, not sent empty.
    if (state.answers[question.id] !== undefined) answers[question.id] = state.answers[question.id];
  }
  return {
    id: state.id,
    language: definition.language,
    prompt: definition.prompts.length ? state.prompt : null,
    title: definition.story.title && state.title.trim() ? state.title : null,
    story: state.story,
    // Only a survey that asks for consent records it; otherwise there is nothing to say.
    consent: definition.consent ? state.consent === true : null,
    collected_at: state.collectedAt,
    survey_version: definition.version,
    answers,
  };
}

/**
 * POST the fragment. Resolves to {outcome: "stored", receipt} (201 new, 200 already there;
 * `receipt` is the teller's withdrawal code), {outcome: "rejected", errors} (the server's
 * messages per field, e.g. 409 or 422), or {outcome: "not_sent"} (no connection, a timeout
 * or a server error: safe to try again).
 */
export async function sendFragment(url, fragment, extraHeaders = {}, { timeout = TIMEOUT_MS } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { ...extraHeaders, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(fragment),
      credentials: "same-origin",
      signal: controller.signal,
    });
    if (response.status === 200 || response.status === 201) {
      let receipt = null;
      try {
        receipt = (await response.json()).receipt || null;
      } catch {
        receipt = null; // stored all the same; only the code is missing
      }
      return { outcome: "stored", receipt };
    }
    if (response.status >= 500) return { outcome: "not_sent" };
    let errors = null;
    try {
      errors = (await response.json()).errors;
    } catch {
      errors = null; // not our JSON (a proxy's page, say): treat as not sent
    }
    if (errors && typeof errors === "object" && Object.keys(errors).length) {
      return { outcome: "rejected", errors };
    }
    return { outcome: "not_sent" };
  } catch {
    return { outcome: "not_sent" };
  } finally {
    clearTimeout(timer);
  }
}
