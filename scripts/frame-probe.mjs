// Evaluates an expression inside a (cross-origin) widget frame of a puppeteer page, for the tests of
// what ships and for the benches, which both drive the built widget inside a real host page.
//
// Answers { value }, { error }, or { missing: true } while the frame is not there yet. A frame that
// is between two documents (its context was destroyed by a navigation, or the new one is not created
// yet) counts as not there yet, and so does a probe with no answer within PROBE_MS: puppeteer may wait
// up to 30 s for a frame's new document, longer than a test runner waits for one command (20 s).
// Callers poll again; a frame that never settles still fails them by their own timeout.
//
// Owns: nothing beyond one probe. Never: throws (an error inside the frame is handed back, since a
// throw here would end a whole run), returns null or undefined (the test runner takes those for an
// unknown command), or judges a result.

/** The longest one probe may take before it counts as "not there yet". */
export const PROBE_MS = 5000;

// Puppeteer's words for a frame whose document is being replaced while a probe runs in it.
const BETWEEN_DOCUMENTS =
  /Execution context was destroyed|Cannot find context with specified id|Execution context is not available/;

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
  const answered = frame.evaluate(expression).then(
    (value) => ({ value }),
    (error) => {
      const message = String(error?.message ?? error);
      return frame.detached || BETWEEN_DOCUMENTS.test(message) ? { missing: true } : { error: message };
    },
  );
  return Promise.race([answered, late]).finally(() => clearTimeout(timer));
}
