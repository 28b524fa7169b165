// Evaluates an expression inside a (cross-origin) widget frame of a puppeteer page, for the tests of
// what ships and for the benches, which both drive the built widget inside a real host page.
//
// Answers { value }, { error }, or { missing: true } while the frame is not there yet. A frame that
// is between two documents (its context was destroyed by a navigation, or the new one is not created
// yet) counts as not there yet, and so does a probe with no answer within PROBE_MS: puppeteer may wait
// up to 30 s for a frame's new document, longer than a test runner waits for one command (20 s).
// Callers poll again; a frame that never settles still fails them by their own timeout.
//
// Owns: one DevTools session per widget frame target, dropped when the target goes. Never: throws (an
// error inside the frame is handed back, since a throw here would end a whole run), returns null or
// undefined (the test runner takes those for an unknown command), or judges a result.
import { CDPSessionEvent } from 'puppeteer-core';

/** The longest one probe may take before it counts as "not there yet". */
export const PROBE_MS = 5000;

// The words for a frame whose document is being replaced while a probe runs in it (puppeteer's and
// the DevTools protocol's).
const BETWEEN_DOCUMENTS =
  /Execution context was destroyed|Cannot find context with specified id|Execution context is not available|Cannot find default execution context|Inspected target navigated or closed|Target closed|Session closed/;

/**
 * `expression` evaluated in the first frame of `page` whose URL contains `match`.
 * @param {import('puppeteer-core').Page} page
 * @param {string} match
 * @param {string} expression
 */
export async function evaluateInFrame(page, match, expression) {
  const frame = page.frames().find((f) => f.url().includes(match));
  if (!frame || frame.detached) return { missing: true };
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ missing: true }), PROBE_MS);
  });
  const answered = evaluate(page, frame, expression).catch((error) => {
    const message = String(error?.message ?? error);
    return frame.detached || BETWEEN_DOCUMENTS.test(message) ? { missing: true } : { error: message };
  });
  return Promise.race([answered, late]).finally(() => clearTimeout(timer));
}

/**
 * A cross-origin frame runs in a target of its own: the expression goes straight to that target's
 * document (Runtime.evaluate in its default context, over a session of this module's own), not
 * through puppeteer's frame objects. Those now and then miss a frame's move to its own process and
 * then wait 30 s on every probe. A frame with no target of its own goes through frame.evaluate.
 */
async function evaluate(page, frame, expression) {
  const url = frame.url();
  const target = page
    .browser()
    .targets()
    .find((t) => t._getTargetInfo().type === 'iframe' && t.url() === url);
  if (!target) return { value: await frame.evaluate(expression) };
  const session = await sessionFor(target);
  const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
    expression,
    returnByValue: true,
    awaitPromise: true,
  });
  if (exceptionDetails) {
    throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text ?? 'evaluation failed');
  }
  return { value: result.value };
}

/** One DevTools session per frame target, opened on first use and dropped when it closes. */
const sessions = new Map();
function sessionFor(target) {
  const id = target._targetId;
  let session = sessions.get(id);
  if (!session) {
    session = target.createCDPSession();
    sessions.set(id, session);
    session.then(
      (opened) => opened.once(CDPSessionEvent.Disconnected, () => sessions.delete(id)),
      () => sessions.delete(id),
    );
  }
  return session;
}
