/**
 * Builds what a widget page needs to run calls: a WidgetTransport from the widget URL (created at
 * once, so it is listening before the host asks for capabilities) and a controller factory that
 * starts a CallController on that transport when <matrix-call> asks for one.
 *
 * Group calls: the URL's `groupBackend` (default 'auto': the backend of whoever is already in the
 * call, else mesh, or the SFU when `livekitServiceUrl` names a LiveKit JWT service). The LiveKit
 * backend is always handed in, as a stand-in that loads its code when a group call starts on it
 * (livekit-client itself is loaded on the first SFU join); its extra needs (OpenID token, media key events) are asked for on the first join of an SFU call.
 *
 * Owns: the order "transport first, controller on demand", the one controller per page, and turning
 * the URL's group call parameters into controller options (with the <matrix-call> that builds the
 * controller asking the person about untrusted media servers: its `approveFocus`).
 * Never: touches the DOM, parses events, or asks for capabilities itself: the controller asks
 * for exactly the needs of the features it runs (transport.start inside controller.start).
 */
import { CallController, type CallControllerOptions } from '../src/controller.js';
import { livekitNeeds } from '../src/group/livekit/livekit-needs.js';
import { lazyBackendFactory } from '../src/group/lazy-backend.js';
import type { GroupBackend } from '../src/snapshot.js';
import { parseWidgetParams, type WidgetParams } from '../src/transport/widget-params.js';
import { WidgetTransport } from '../src/transport/widget-transport.js';
import type { CallControllerApi } from '../src/snapshot.js';
import type { FocusOwner, LivekitFocus } from '../src/group/livekit/focus.js';

export type WidgetConnection =
  | {
      readonly ok: true;
      readonly params: WidgetParams;
      readonly transport: WidgetTransport;
      /**
       * The controller, built on the first call, the same one after. `approveFocus` (from the
       * <matrix-call> that asks first) puts the question about an untrusted media server to the person.
       */
      controller(ui?: WidgetUi): CallController;
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
    controller(ui: WidgetUi = {}): CallController {
      if (!built) {
        built = CallController.create({ transport, ...groupOptionsOf(parsed.value, transport, ui) });
        void built.start();
      }
      return built;
    },
  };
}

/** What the page's UI lends the controller. */
export interface WidgetUi {
  /** Asks the person about a media server their side does not trust (<matrix-call>'s `approveFocus`). */
  readonly approveFocus?: (focus: LivekitFocus, namedBy: FocusOwner) => Promise<boolean>;
}

/** The widget's default: follow whoever is already in the call. */
export const WIDGET_GROUP_BACKEND: GroupBackend = 'auto';

/** The controller's group call options for the URL's parameters. */
export function groupOptionsOf(
  params: Pick<WidgetParams, 'groupBackend' | 'livekitServiceUrl'>,
  transport: Pick<WidgetTransport, 'userId' | 'deviceId'>,
  ui: WidgetUi = {},
): Pick<CallControllerOptions, 'settings' | 'groupBackends'> {
  const groupBackend = params.groupBackend ?? WIDGET_GROUP_BACKEND;
  if (groupBackend === 'mesh') return { settings: { groupBackend } };
  const foci = params.livekitServiceUrl ? [params.livekitServiceUrl] : [];
  // Trusted foci: the host's RTC transports (the transport asks the host), the URL's configuration,
  // then the user's homeserver's well-known; any other focus only if the person agrees (docs/security.md).
  const serverName = transport.userId.slice(transport.userId.indexOf(':') + 1);
  const approveFocus = ui.approveFocus;
  return {
    settings: { groupBackend },
    groupBackends: {
      livekit: lazyBackendFactory(
        () =>
          import('../src/group/livekit/index.js').then((m) =>
            m.liveKitBackend({
              foci,
              wellKnown: () => m.fetchWellKnownFoci(serverName),
              ...(approveFocus ? { approveFocus } : {}),
            }),
          ),
        'livekit',
        foci.length > 0,
      ),
      livekitNeeds: livekitNeeds(transport),
    },
  };
}

/**
 * A MatrixCallElement.controllerFactory for this connection: the controller, or the URL's fault. The
 * element that builds it lends its `approveFocus`, so the question about an untrusted media server is
 * asked there.
 */
export function controllerFactoryOf(connection: WidgetConnection): (host?: HTMLElement) => CallControllerApi {
  return (host) => {
    if (!connection.ok) throw new Error(connection.reason);
    const approveFocus = (host as { approveFocus?: WidgetUi['approveFocus'] } | undefined)?.approveFocus;
    return connection.controller(typeof approveFocus === 'function' ? { approveFocus } : {});
  };
}
