/**
 * Builds what a widget page needs to run calls: a WidgetTransport from the widget URL (created at
 * once, so it is listening before the host asks for capabilities) and a controller factory that
 * starts a CallController on that transport when <matrix-call> asks for one.
 *
 * Owns: the order "transport first, controller on demand", and the one controller per page.
 * Never: touches the DOM, parses events, or asks for capabilities itself: the controller asks
 * for exactly the needs of the features it runs (transport.start inside controller.start).
 */
import { CallController } from '../src/controller.js';
import { parseWidgetParams, type WidgetParams } from '../src/transport/widget-params.js';
import { WidgetTransport } from '../src/transport/widget-transport.js';
import type { CallControllerApi } from '../src/snapshot.js';

export type WidgetConnection =
  | {
      readonly ok: true;
      readonly params: WidgetParams;
      readonly transport: WidgetTransport;
      /** The controller, built on the first call, the same one after. */
      controller(): CallController;
    }
  | { readonly ok: false; readonly reason: string };

/** Reads the widget URL and opens the transport; never throws (a bad URL gives a reason). */
export function connectWidget(href: string = location.href): WidgetConnection {
  const parsed = parseWidgetParams(href);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const transport = new WidgetTransport(parsed.value);
  let built: CallController | undefined;
  return {
    ok: true,
    params: parsed.value,
    transport,
    controller(): CallController {
      if (!built) {
        built = CallController.create({ transport });
        void built.start();
      }
      return built;
    },
  };
}

/** A MatrixCallElement.controllerFactory for this connection: the controller, or the URL's fault. */
export function controllerFactoryOf(connection: WidgetConnection): () => CallControllerApi {
  return () => {
    if (!connection.ok) throw new Error(connection.reason);
    return connection.controller();
  };
}
