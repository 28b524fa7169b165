/**
 * The widget host used by the demo page and the end-to-end tests: embeds a widget iframe for one
 * (user, device, room), wires a real matrix-widget-api ClientWidgetApi to it with a driver backed
 * by the TestHomeserver double, and feeds the widget what the homeserver delivers to that device.
 *
 * Owns: the widget URL (widgetId and parentUrl in the query string, the rest in the query or a
 * `#?` fragment, as real hosts do), the iframe, the ClientWidgetApi and its lifetime, and feeding
 * room events (feedEvent, plus feedStateUpdate for state) and to-device messages (feedToDevice with
 * the encrypted flag). Never: call logic, or any UI besides the iframe.
 *
 * Like a real client, it feeds only events that arrive after the widget's capabilities were
 * approved; earlier ones the widget reads from the timeline. To-device messages sent to the device
 * before then wait in the homeserver's queue.
 */
import { ClientWidgetApi, Widget, type Capability } from 'matrix-widget-api';
import type { Unsubscribe } from '../../src/transport/transport.js';
import type { TestHomeserver } from './homeserver.js';
import { HomeserverWidgetDriver, toWidgetEvent, type HostPolicy } from './homeserver-widget-driver.js';

export interface EmbedWidgetOptions {
  readonly homeserver: TestHomeserver;
  /** Where the iframe goes. */
  readonly container: HTMLElement;
  /** The widget page, absolute or relative to this page. */
  readonly url: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  /** Default `widget-<user localpart>-<device>`. */
  readonly widgetId?: string;
  readonly theme?: string;
  readonly lang?: string;
  readonly baseUrl?: string;
  /** Put roomId, userId, ... in a `#?` fragment (default) or in the query string. */
  readonly paramsIn?: 'fragment' | 'query';
  /** Capabilities this host refuses, OpenID refusal. */
  readonly policy?: HostPolicy;
  /** Title for the iframe (accessibility). Default: the user id. */
  readonly title?: string;
  /**
   * Begin the capability exchange when the widget says `content_loaded` (waitForIframeLoad=false, as
   * Element Web sets for Element Call) instead of on the iframe's load event. Default false.
   */
  readonly waitForContentLoaded?: boolean;
}

export interface EmbeddedWidget {
  readonly iframe: HTMLIFrameElement;
  readonly api: ClientWidgetApi;
  readonly driver: HomeserverWidgetDriver;
  readonly widgetUrl: string;
  /** Resolves once the widget's capabilities were approved (ClientWidgetApi's "ready"). */
  readonly ready: Promise<void>;
  /** Capabilities approved so far. */
  approved(): Capability[];
  /** Stops feeding, stops the widget API and removes the iframe. */
  remove(): void;
}

export function widgetUrlFor(options: EmbedWidgetOptions, widgetId: string, parentUrl: string): string {
  const url = new URL(options.url, parentUrl);
  url.searchParams.set('widgetId', widgetId);
  url.searchParams.set('parentUrl', parentUrl);
  const params = new URLSearchParams({
    roomId: options.roomId,
    userId: options.userId,
    deviceId: options.deviceId,
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    ...(options.theme !== undefined ? { theme: options.theme } : {}),
    ...(options.lang !== undefined ? { lang: options.lang } : {}),
  });
  if (options.paramsIn === 'query') {
    for (const [name, value] of params) url.searchParams.set(name, value);
  } else {
    url.hash = `?${params.toString()}`;
  }
  return url.toString();
}

export function embedWidget(options: EmbedWidgetOptions): EmbeddedWidget {
  const { homeserver, userId, deviceId, roomId } = options;
  const localpart = userId.slice(1).split(':')[0] ?? 'user';
  const widgetId = options.widgetId ?? `widget-${localpart}-${deviceId}`;
  const widgetUrl = widgetUrlFor(options, widgetId, location.href);

  homeserver.addDevice(userId, deviceId);
  const driver = new HomeserverWidgetDriver(homeserver, { userId, deviceId, roomId }, options.policy);
  const widget = new Widget({
    id: widgetId,
    creatorUserId: userId,
    type: 'm.custom',
    url: widgetUrl,
    waitForIframeLoad: !options.waitForContentLoaded,
  });

  const iframe = document.createElement('iframe');
  iframe.title = options.title ?? userId;
  iframe.allow = 'camera; microphone; display-capture; autoplay; clipboard-write';
  iframe.dataset.userId = userId;
  iframe.dataset.deviceId = deviceId;
  options.container.append(iframe);
  // The API listens for the iframe's load event, so it exists before the widget page loads.
  const api = new ClientWidgetApi(widget, iframe, driver);
  api.setViewedRoomId(roomId);

  const cleanups: Unsubscribe[] = [];
  let feeding = false;
  const ready = new Promise<void>((resolve, reject) => {
    api.once('ready', () => {
      startFeeding();
      resolve();
    });
    api.once('error:preparing', (error: unknown) =>
      reject(error instanceof Error ? error : new Error(String(error))),
    );
  });
  ready.catch(() => undefined);

  function startFeeding(): void {
    if (feeding) return;
    feeding = true;
    cleanups.push(
      homeserver.subscribe(userId, deviceId, {
        onRoomEvent: (event) => {
          const widgetEvent = toWidgetEvent(event);
          api.feedEvent(widgetEvent).catch((e: unknown) => console.warn('widget refused an event', e));
          if (event.state_key !== undefined && event.room_id === roomId) {
            api.feedStateUpdate(widgetEvent).catch((e: unknown) => console.warn('widget refused state', e));
          }
        },
        onToDevice: (message) => {
          api
            .feedToDevice(
              {
                type: message.type,
                sender: message.sender,
                content: message.content as Record<string, unknown>,
              },
              message.encrypted,
            )
            .catch((e: unknown) => console.warn('widget refused a to-device message', e));
        },
      }),
    );
  }

  iframe.src = widgetUrl;

  return {
    iframe,
    api,
    driver,
    widgetUrl,
    ready,
    approved: () =>
      [...new Set(driver.capabilityRequests.flatMap((set) => [...set]))].filter((c) => api.hasCapability(c)),
    remove: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      api.stop();
      iframe.remove();
    },
  };
}
