/**
 * Driving a widget that runs cross-origin to the test page, as widgets do in real hosts: the page
 * cannot reach into the iframe, so each probe runs inside the widget's frame through the browser's
 * debugging protocol (the `frame-evaluate` command of scripts/shipped/artefacts-plugin.mjs). Probes
 * are plain expressions; `deep(selector)` inside them finds the first match through shadow roots.
 *
 * Owns: those probes and polling on them. Never: asserts anything itself.
 */
import { executeServerCommand } from '@web/test-runner-commands';

/** The origin the static server serves the built files from. */
export function shippedOrigin(): Promise<string> {
  return executeServerCommand<string, undefined>('shipped-origin');
}

// Defined inside the frame before each probe: the first element matching `selector` in the document
// or in any open shadow root below it.
const DEEP = `const deep = (selector, root = document) => {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const host of root.querySelectorAll('*')) {
    if (host.shadowRoot) {
      const inner = deep(selector, host.shadowRoot);
      if (inner) return inner;
    }
  }
  return null;
};`;

/** The value of `expression` inside the frame whose URL contains `match` (undefined: no such frame yet). */
export async function inFrame<T>(match: string, expression: string): Promise<T | undefined> {
  const answer = await executeServerCommand<
    { value?: T; error?: string; missing?: true },
    { match: string; expression: string }
  >('frame-evaluate', {
    match,
    expression: `(async () => { ${DEEP} return (${expression}); })()`,
  });
  if (answer.error !== undefined) throw new Error(`In the frame ${match}: ${answer.error}`);
  return answer.value;
}

/** Polls `expression` in the frame every 100 ms until it is truthy, or fails naming `what`. */
export async function untilInFrame<T>(what: string, match: string, expression: string, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await inFrame<T>(match, expression);
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The `view` attribute of the frame's <matrix-call>. */
export const viewExpression = `(document.querySelector('matrix-call')?.getAttribute('view') ?? null)`;

/** Waits until the frame's <matrix-call> shows one of `views`. */
export function untilView(match: string, ...views: string[]): Promise<string> {
  const list = JSON.stringify(views);
  return untilInFrame(
    `${match} to show ${views.join(' or ')}`,
    match,
    `${list}.includes(${viewExpression}) && ${viewExpression}`,
  );
}

/** Clicks the first element with `part` (searched through shadow roots) once it exists. */
export function clickPart(match: string, part: string): Promise<boolean> {
  return untilInFrame(
    `${part} in ${match}`,
    match,
    `(() => { const el = deep('[part~="${part}"]'); if (!el || el.disabled) return false; el.click(); return true; })()`,
  );
}

/**
 * Bytes received so far on the frame's peer connections for `kind`, through the widget's debugging
 * handle (`window.matrixCallWidget`, or the scratch app's `window.scratchApp`).
 */
export function inboundBytesExpression(kind: 'audio' | 'video'): string {
  return `(async () => {
    const controller = window.matrixCallWidget?.ok ? window.matrixCallWidget.controller() : window.scratchApp?.controller;
    if (!controller) return 0;
    const connections = [];
    for (const call of controller.snapshot.calls) {
      const pc = controller.peerCall(call.id)?.peerConnection;
      if (pc) connections.push(pc);
    }
    let bytes = 0;
    for (const pc of connections) {
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === '${kind}') bytes += r.bytesReceived ?? 0;
      });
    }
    return bytes;
  })()`;
}

/** Waits until the frame's 1:1 calls have received more than `min` bytes of `kind`. */
export async function untilInboundMedia(match: string, kind: 'audio' | 'video', min = 2000): Promise<number> {
  return untilInFrame(`${kind} to arrive in ${match}`, match, `(${inboundBytesExpression(kind)}).then((b) => b > ${min} && b)`);
}

/** The `match` for a person's widget frame: the demo host names widgets `widget-<localpart>-<device>`. */
export const frameOf = (userId: string): string => `widgetId=widget-${userId.slice(1).split(':')[0]}`;

/**
 * With both widgets idle: `caller` video-calls `callee` with clicks inside their frames, `callee`
 * answers with video, both show the call, and audio and video arrive on both sides.
 */
export async function videoCallWithMediaBothWays(caller: string, callee: string): Promise<void> {
  await clickPart(frameOf(caller), 'video-call-button');
  await untilView(frameOf(callee), 'incoming');
  await clickPart(frameOf(callee), 'answer-video-button');
  await untilView(frameOf(caller), 'in-call');
  await untilView(frameOf(callee), 'in-call');
  for (const person of [caller, callee]) {
    await untilInboundMedia(frameOf(person), 'audio');
    await untilInboundMedia(frameOf(person), 'video');
  }
}
