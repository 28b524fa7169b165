/**
 * The widget side's door check. matrix-widget-api's PostmessageTransport takes a widget-API message
 * from any window that can post to this page (a sibling iframe, a popup), and the kit trusts what such
 * messages carry: `sender`, the `encrypted` flag of to-device messages, pushed room state. So before the
 * API starts, its message handler is wrapped to let through only messages whose source is the window
 * that embeds the widget (window.parent) and whose origin is the host's (the origin of the widget
 * URL's parentUrl, where the API sends its own messages too). Anything else is dropped unseen.
 *
 * Owns: that check. Never: parses or answers a request; never relaxes the check when the library's
 * shape is not as expected (it throws instead, so the widget fails closed).
 */
import type { WidgetApi } from 'matrix-widget-api';

interface MessageHandlingTransport {
  handleMessage: (event: MessageEvent) => void;
}

/** True when `event` comes from `parent` at `parentOrigin`. */
export function isFromHost(event: MessageEvent, parent: MessageEventSource | null, parentOrigin: string): boolean {
  return parent !== null && event.source === parent && event.origin === parentOrigin;
}

/**
 * Makes `api` (not started yet) ignore every message that is not from `parent` at `parentOrigin`.
 * Counts what it dropped in `dropped` (for tests and for people debugging a host).
 */
export function acceptOnlyFromHost(
  api: WidgetApi,
  parentOrigin: string,
  parent: MessageEventSource | null = globalThis.parent ?? null,
): { readonly dropped: () => number } {
  const transport = api.transport as unknown as Partial<MessageHandlingTransport>;
  const handle = transport.handleMessage;
  if (typeof handle !== 'function') {
    throw new Error(
      'matrix-widget-api no longer exposes its message handler; the widget cannot check who sends it messages',
    );
  }
  let dropped = 0;
  transport.handleMessage = (event: MessageEvent) => {
    if (isFromHost(event, parent, parentOrigin)) handle.call(transport, event);
    else dropped++;
  };
  return { dropped: () => dropped };
}
