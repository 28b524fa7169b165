/**
 * Choosing the LiveKit focus (SFU + JWT service) of an SFU call, in this order:
 *
 * 1. The call's existing memberships. Element Call writes `focus_active: { type: 'livekit',
 *    focus_selection: 'oldest_membership' }` and `foci_preferred: [{ type: 'livekit',
 *    livekit_service_url, livekit_alias }]`; everyone then uses the oldest membership's first preferred
 *    focus (matrix-js-sdk CallMembership.getTransport). famedly's `backend: { type: 'livekit',
 *    livekit_service_url, livekit_alias }` has the same shape and is passed as the only preferred focus.
 * 2. The kit's configuration.
 * 3. The host's RTC transports: MSC4143's `GET /_matrix/client/v1/rtc/transports`, which a widget reaches
 *    through MSC4515 (`WidgetApi.getRtcTransports()`, matrix-widget-api 1.19, capability
 *    `org.matrix.msc4515.rtc_transports`). The caller passes that lookup in; hosts without it fail the
 *    lookup and the source is skipped.
 *
 * When none gives a focus the result is a NoLivekitFocusError that says, in plain words, what a
 * server admin must set up.
 *
 * Owns: parsing focus descriptions (never throwing) and the choice. Never: fetches tokens
 * (token-client.ts), writes memberships, or imports livekit-client.
 */
import {
  accept,
  isNonEmptyString,
  isRecord,
  reject,
  type Parsed,
} from '../../signalling/encryption-keys/parsed.js';

export interface LivekitFocus {
  readonly type: 'livekit';
  /** Base URL of the JWT service, without a trailing slash (…/livekit/jwt). */
  readonly serviceUrl: string;
  /** The LiveKit room alias the membership named, if any (Element Call writes the room id). */
  readonly alias?: string;
}

/** What the focus choice needs to know of one membership of the call. */
export interface FocusMembership {
  readonly userId: string;
  readonly deviceId: string;
  /** created_ts, else the membership event's origin_server_ts. */
  readonly createdTs: number;
  /** Element Call's `focus_active`, unparsed. Absent (famedly) reads as oldest_membership. */
  readonly focusActive?: unknown;
  /** Element Call's `foci_preferred`, or `[backend]` for famedly, unparsed. */
  readonly fociPreferred?: readonly unknown[];
}

export type FocusSource = 'membership' | 'configuration' | 'host';

export interface FocusChoice {
  readonly focus: LivekitFocus;
  readonly source: FocusSource;
  /** With source 'membership': whose focus it is. */
  readonly chosenFrom?: { readonly userId: string; readonly deviceId: string };
}

export interface ChooseFocusInput {
  readonly memberships?: readonly FocusMembership[];
  /** Configured foci: `{ type: 'livekit', livekit_service_url }` objects or bare service URLs. */
  readonly configured?: readonly unknown[];
  /** The host's RTC transports (MSC4515); reject or omit when the host has none. */
  readonly hostTransports?: () => Promise<readonly unknown[]>;
}

/** The well-known key where a homeserver advertises its LiveKit foci. */
export const RTC_FOCI_WELL_KNOWN_KEY = 'org.matrix.msc4143.rtc_foci';

export class NoLivekitFocusError extends Error {
  override readonly name = 'NoLivekitFocusError';
  /** For the person in the call. */
  readonly userMessage =
    'This call needs a media server (LiveKit), and none is set up for this room or your homeserver. ' +
    'Ask your server admin to set one up, or use a call with fewer people (up to 8) that needs none.';
  /** For the server admin. */
  readonly adminHint =
    'Deploy a LiveKit SFU and the MatrixRTC authorization service (lk-jwt-service) next to it, then ' +
    `advertise the service in https://<your server name>/.well-known/matrix/client under "${RTC_FOCI_WELL_KNOWN_KEY}": ` +
    '[{ "type": "livekit", "livekit_service_url": "https://matrix-rtc.example.com/livekit/jwt" }] ' +
    '(or serve it from GET /_matrix/client/v1/rtc/transports), or configure the kit with a LiveKit service URL.';

  constructor(
    /** Why each source gave nothing, for logs. */
    readonly tried: readonly string[],
  ) {
    super(`No LiveKit focus found (${tried.join('; ')}).`);
    this.message = `${this.userMessage} ${this.adminHint} Details: ${tried.join('; ')}.`;
  }
}

function parseServiceUrl(value: unknown): Parsed<string> {
  if (!isNonEmptyString(value, 2048)) return reject('livekit_service_url must be a non-empty string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return reject('livekit_service_url is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return reject('livekit_service_url must be an http(s) URL');
  }
  return accept(value.replace(/\/+$/, ''));
}

/** Parses a LiveKit focus / transport / famedly backend description, or a bare service URL. */
export function parseLivekitFocus(value: unknown): Parsed<LivekitFocus> {
  if (typeof value === 'string') {
    const url = parseServiceUrl(value);
    return url.ok ? accept({ type: 'livekit', serviceUrl: url.value }) : url;
  }
  if (!isRecord(value)) return reject('a focus must be an object');
  if (value['type'] !== 'livekit')
    return reject(`not a LiveKit focus: type ${JSON.stringify(value['type'])}`);
  const url = parseServiceUrl(value['livekit_service_url']);
  if (!url.ok) return url;
  const alias = value['livekit_alias'];
  if (alias !== undefined && !isNonEmptyString(alias, 1024)) {
    return reject('livekit_alias must be a non-empty string');
  }
  return accept(
    alias === undefined
      ? { type: 'livekit', serviceUrl: url.value }
      : { type: 'livekit', serviceUrl: url.value, alias },
  );
}

/** The focus selection a membership asks for; absent focus_active reads as oldest_membership. */
export function parseFocusSelection(focusActive: unknown): Parsed<'oldest_membership' | 'multi_sfu'> {
  if (focusActive === undefined) return accept('oldest_membership');
  if (!isRecord(focusActive)) return reject('focus_active must be an object');
  if (focusActive['type'] !== 'livekit') return reject('focus_active is not a LiveKit focus');
  const selection = focusActive['focus_selection'];
  if (selection === 'oldest_membership' || selection === 'multi_sfu') return accept(selection);
  return reject(`focus_selection ${JSON.stringify(selection)} is not understood`);
}

function firstLivekitFocus(candidates: readonly unknown[] | undefined): LivekitFocus | undefined {
  for (const candidate of candidates ?? []) {
    const parsed = parseLivekitFocus(candidate);
    if (parsed.ok) return parsed.value;
  }
  return undefined;
}

/** Oldest first; equal times ordered by user then device, so every client picks the same one. */
export function oldestMembership<T extends FocusMembership>(memberships: readonly T[]): T | undefined {
  return [...memberships].sort(
    (a, b) =>
      a.createdTs - b.createdTs ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0) ||
      (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0),
  )[0];
}

/** The focus the call's memberships agree on, or why there is none. */
export function focusFromMemberships(memberships: readonly FocusMembership[]): Parsed<FocusChoice> {
  const oldest = oldestMembership(memberships);
  if (!oldest) return reject('the call has no members yet');
  const selection = parseFocusSelection(oldest.focusActive);
  if (!selection.ok) return reject(`the oldest membership: ${selection.reason}`);
  // Both selections start from foci_preferred[0] for the member that publishes first: with
  // oldest_membership everyone follows the oldest; with multi_sfu the oldest's own focus is still
  // where most of the call already is.
  const focus = firstLivekitFocus(oldest.fociPreferred);
  if (!focus) return reject('the oldest membership names no LiveKit focus');
  return accept({
    focus,
    source: 'membership',
    chosenFrom: { userId: oldest.userId, deviceId: oldest.deviceId },
  });
}

/** Chooses the focus; rejects with NoLivekitFocusError when no source has one. */
export async function chooseLivekitFocus(input: ChooseFocusInput): Promise<FocusChoice> {
  const tried: string[] = [];

  const fromMembers = focusFromMemberships(input.memberships ?? []);
  if (fromMembers.ok) return fromMembers.value;
  tried.push(`memberships: ${fromMembers.reason}`);

  const configured = firstLivekitFocus(input.configured);
  if (configured) return { focus: configured, source: 'configuration' };
  tried.push(input.configured?.length ? 'configuration: no valid LiveKit focus' : 'configuration: none');

  if (input.hostTransports) {
    try {
      const transports = await input.hostTransports();
      const fromHost = firstLivekitFocus(transports);
      if (fromHost) return { focus: fromHost, source: 'host' };
      tried.push('host: offers no LiveKit transport');
    } catch (error) {
      tried.push(`host: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    tried.push('host: RTC transports not available');
  }
  throw new NoLivekitFocusError(tried);
}

/**
 * What this device writes in its own membership for the chosen focus, as Element Call does: the
 * focus (with the room id as alias) as the preferred one, and oldest_membership selection.
 */
export function membershipFocusFields(
  focus: LivekitFocus,
  roomId: string,
): {
  focus_active: { type: 'livekit'; focus_selection: 'oldest_membership' };
  foci_preferred: Array<{ type: 'livekit'; livekit_service_url: string; livekit_alias: string }>;
} {
  return {
    focus_active: { type: 'livekit', focus_selection: 'oldest_membership' },
    foci_preferred: [
      { type: 'livekit', livekit_service_url: focus.serviceUrl, livekit_alias: focus.alias ?? roomId },
    ],
  };
}
