// The story being told: its empty state, and the steps it is told in.

import { questionStep } from "./questions.js";
import { introStep, promptStep, reviewStep, storyStep } from "./steps.js";
import { newFragmentId } from "./submit.js";

export function freshState(definition) {
  return {
    id: newFragmentId(), // one id per story, kept across retries
    collectedAt: null,
    consent: false,
    prompt: definition.prompts.length === 1 ? definition.prompts[0].id : null,
    title: "",
    story: "",
    answers: {},
    serverErrors: {}, // field or question id → message from the server, in the teller's language
    returnToReview: false, // after "change" on the review, Next leads straight back to it
  };
}

/** Nothing entered yet: no draft to keep, nothing for a kiosk to clear. */
export function untouched(state, definition) {
  const fresh = freshState(definition);
  return (
    !state.consent &&
    !state.story &&
    !state.title &&
    state.prompt === fresh.prompt &&
    !Object.keys(state.answers).length
  );
}

/** The steps in order; `fields` says which server error belongs on which step. */
export function buildSteps(definition) {
  const choosePrompt = definition.prompts.length > 1;
  const steps = [{ fields: ["consent"], render: introStep }];
  if (choosePrompt) steps.push({ fields: ["prompt"], render: promptStep });
  steps.push({ fields: choosePrompt ? ["story", "title"] : ["story", "title", "prompt"], render: storyStep });
  for (const question of definition.questions) {
    steps.push({ fields: [question.id], render: (ctx) => questionStep(question, ctx) });
  }
  steps.push({ fields: [], render: reviewStep });
  return steps;
}
