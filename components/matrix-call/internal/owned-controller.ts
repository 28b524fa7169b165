/**
 * Controllers that <matrix-call> built itself (through MatrixCallElement.controllerFactory: the widget
 * page, the drop-in bundle), and the elements showing each. When the last of them leaves the document
 * and is not put back meanwhile, the controller's calls end and their media is released: a call never
 * goes on sending the microphone with no UI left to end it.
 *
 * "Meanwhile": moving an element in the DOM disconnects and reconnects it, often in the same task, so
 * the decision waits a microtask, then an animation frame (or RELEASE_AFTER_MS, since a hidden document
 * gets no frames), and ends the calls only if none of the elements is connected then.
 *
 * Owns: that count and the decision. Never: touches a controller a page passed in (`.controller` or
 * context: the page owns those), closes a controller (the factory may hand the same one to an element
 * added later), or stops a ringing incoming call (it opened no media; it rings again when shown).
 */
import type { CallControllerApi } from '../../../src/snapshot.js';
import { GROUP_CALL_ID } from '../../../src/snapshot.js';

/** The longest wait for an animation frame before deciding (hidden documents get none). */
export const RELEASE_AFTER_MS = 250;

const shownBy = new WeakMap<CallControllerApi, Set<Element>>();
const decisions = new WeakMap<Element, Promise<boolean>>();

/** `element` shows `controller`, which it built: its calls go on while any such element is connected. */
export function showsOwnController(controller: CallControllerApi, element: Element): void {
  let elements = shownBy.get(controller);
  if (!elements) shownBy.set(controller, (elements = new Set()));
  elements.add(element);
}

/**
 * `element` left the document. Resolves true when that ended the controller's calls (no element that
 * built it was connected once the move window had passed), false otherwise.
 */
export function ownControllerElementLeft(controller: CallControllerApi, element: Element): Promise<boolean> {
  const decision = (async () => {
    await afterMoveWindow();
    const elements = shownBy.get(controller);
    if (!elements || element.isConnected) return false;
    elements.delete(element);
    if ([...elements].some((other) => other.isConnected)) return false;
    await endCallsOf(controller);
    return true;
  })();
  decisions.set(element, decision);
  return decision;
}

/** The latest decision taken for `element` leaving (for tests); false when none was. */
export function ownControllerDecision(element: Element): Promise<boolean> {
  return decisions.get(element) ?? Promise.resolve(false);
}

async function afterMoveWindow(): Promise<void> {
  await Promise.resolve();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, RELEASE_AFTER_MS);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Ends what sends or receives media: every 1:1 call but one ringing here (outgoing ones and those
 * being answered included), the group call, the walkie-talkie's floor and opt-in (its listen-only
 * join). Each action failing on its own does not stop the others.
 */
async function endCallsOf(controller: CallControllerApi): Promise<void> {
  const snapshot = controller.snapshot;
  const actions: Promise<unknown>[] = [];
  for (const call of snapshot.calls) {
    if (call.state === 'ended' || call.id === GROUP_CALL_ID) continue;
    if (call.direction === 'incoming' && call.state === 'ringing') continue;
    actions.push(controller.hangup(call.id));
  }
  if (snapshot.group && snapshot.group.state !== 'idle') {
    actions.push(controller.leaveGroupCall());
  }
  if (snapshot.ptt?.optedIn) {
    actions.push(Promise.resolve(controller.pttRelease()).then(() => controller.setPttOptIn(false)));
  }
  const results = await Promise.allSettled(actions);
  for (const result of results) {
    if (result.status === 'rejected') console.warn('matrix call kit: ending a call failed', result.reason);
  }
}
