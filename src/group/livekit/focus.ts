/**
 * Choosing the LiveKit focus (SFU + JWT service) of an SFU call, and which foci may have the user's
 * OpenID token (docs/security.md, "The SFU focus and the OpenID token").
 *
 * Trusted foci come only from the user's own side, in this order:
 * 1. the host's RTC transports: MSC4143's `GET /_matrix/client/v1/rtc/transports`, which a widget reaches
 *    through MSC4515 (`WidgetTransport.getRtcTransports()`); hosts without it fail the lookup and it is
 *    skipped (the call's log says so);
 * 2. the kit's configuration;
 * 3. the homeserver's well-known (`org.matrix.msc4143.rtc_foci` in /.well-known/matrix/client).
 * A focus named in another member's membership is used only when it is one of those (same service
 * URL), or when the user agreed to it (`approve`). Service URLs must be https, except loopback (tests).
 *
 * Which focus this device publishes to:
 * - The call's oldest membership asks for `oldest_membership` (matrix-js-sdk, famedly, older Element
 *   Call): everyone uses that membership's first preferred focus, so this device does too if it is
 *   trusted or approved; otherwise an UntrustedFocusError says so plainly and nothing is sent to it.
 * - Otherwise (`multi_sfu`, as Element Call 0.26 writes, or nobody in the call yet): this device
 *   publishes to its own first trusted focus and writes `multi_sfu`; members on other foci are
 *   subscribed to there (livekit-group-call.ts), each again only if trusted or approved.
 * No focus anywhere: a NoLivekitFocusError saying, in plain words, what a server admin must set up.
 *
 * Owns: parsing focus descriptions (never throwing), the trust check and the choice. Never: fetches
 * tokens (token-client.ts), writes memberships, or imports livekit-client.
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

export type FocusSource = 'membership' | 'configuration' | 'host' | 'well-known';
export type FocusSelection = 'oldest_membership' | 'multi_sfu';

export interface FocusChoice {
  readonly focus: LivekitFocus;
  readonly source: FocusSource;
  /** What this device writes in its membership's focus_active. */
  readonly selection: FocusSelection;
  /** With source 'membership': whose focus it is. */
  readonly chosenFrom?: { readonly userId: string; readonly deviceId: string };
}

/** Who named a focus that is not trusted, for the question put to the user. */
export interface FocusOwner {
  readonly userId: string;
  readonly deviceId: string;
}

export interface ChooseFocusInput {
  readonly memberships?: readonly FocusMembership[];
  /** Configured foci: `{ type: 'livekit', livekit_service_url }` objects or bare service URLs. */
  readonly configured?: readonly unknown[];
  /** The host's RTC transports (MSC4515); reject or omit when the host has none. */
  readonly hostTransports?: () => Promise<readonly unknown[]>;
  /** The homeserver's well-known foci (`org.matrix.msc4143.rtc_foci`); reject or omit when none. */
  readonly wellKnown?: () => Promise<readonly unknown[]>;
  /**
   * Asks the user whether a focus that another member named may have their OpenID token. Omitted:
   * no (only trusted foci are used).
   */
  readonly approve?: (focus: LivekitFocus, namedBy: FocusOwner) => Promise<boolean>;
}

/** The well-known key where a homeserver advertises its LiveKit foci. */
export const RTC_FOCI_WELL_KNOWN_KEY = 'org.matrix.msc4143.rtc_foci';

/** A member's focus that is not on the user's trusted list: nothing was sent to it, nothing joined. */
export class UntrustedFocusError extends Error {
  override readonly name = 'UntrustedFocusError';
  readonly userMessage: string;
  constructor(
    readonly focus: LivekitFocus,
    readonly namedBy: FocusOwner,
  ) {
    const host = hostOf(focus.serviceUrl);
    const message =
      `This call runs on a media server (${host}) that ${namedBy.userId} chose, and neither your ` +
      'homeserver nor this app lists it as trusted. You did not join, and your identity was not sent to it. ' +
      'Ask your server admin to offer a call server, or agree to use this one if you trust it.';
    super(message);
    this.userMessage = message;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Whether two foci are the same JWT service (the alias does not matter: the service names the room). */
export function sameService(a: LivekitFocus, b: LivekitFocus): boolean {
  return a.serviceUrl === b.serviceUrl;
}

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

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseServiceUrl(value: unknown): Parsed<string> {
  if (!isNonEmptyString(value, 2048)) return reject('livekit_service_url must be a non-empty string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return reject('livekit_service_url is not a URL');
  }
  // The OpenID token travels to this URL: never in clear text, except to this machine (tests).
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    return reject('livekit_service_url must be an https URL (http only on loopback)');
  }
  if (url.username || url.password) return reject('livekit_service_url must not carry credentials');
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

/** The focus the call's oldest membership names, with the selection it asks for, or why there is none. */
export function focusFromMemberships(
  memberships: readonly FocusMembership[],
): Parsed<{ focus: LivekitFocus; selection: FocusSelection; chosenFrom: FocusOwner }> {
  const oldest = oldestMembership(memberships);
  if (!oldest) return reject('the call has no members yet');
  const selection = parseFocusSelection(oldest.focusActive);
  if (!selection.ok) return reject(`the oldest membership: ${selection.reason}`);
  const focus = firstLivekitFocus(oldest.fociPreferred);
  if (!focus) return reject('the oldest membership names no LiveKit focus');
  return accept({
    focus,
    selection: selection.value,
    chosenFrom: { userId: oldest.userId, deviceId: oldest.deviceId },
  });
}

/** A member's own focus in a multi_sfu call: where it publishes (its first preferred LiveKit focus). */
export function publishingFocusOf(m: FocusMembership): LivekitFocus | undefined {
  return firstLivekitFocus(m.fociPreferred);
}

export interface TrustedFoci {
  /** Trusted foci, best first, each with where it came from. */
  readonly foci: readonly { readonly focus: LivekitFocus; readonly source: FocusSource }[];
  /** Why a source gave nothing, for logs and the no-focus error. */
  readonly tried: readonly string[];
}

/** The foci the user's own side names: host RTC transports, configuration, homeserver well-known. */
export async function trustedFoci(
  input: Pick<ChooseFocusInput, 'configured' | 'hostTransports' | 'wellKnown'>,
): Promise<TrustedFoci> {
  const foci: { focus: LivekitFocus; source: FocusSource }[] = [];
  const tried: string[] = [];
  const add = (candidates: readonly unknown[], source: FocusSource) => {
    let added = 0;
    for (const candidate of candidates.slice(0, 32)) {
      const parsed = parseLivekitFocus(candidate);
      if (parsed.ok && !foci.some((f) => sameService(f.focus, parsed.value))) {
        foci.push({ focus: parsed.value, source });
        added++;
      }
    }
    return added;
  };
  const lookup = async (source: FocusSource, get: (() => Promise<readonly unknown[]>) | undefined) => {
    if (!get) {
      tried.push(`${source}: not available`);
      return;
    }
    try {
      if (add(await get(), source) === 0) tried.push(`${source}: offers no LiveKit focus`);
    } catch (error) {
      tried.push(`${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await lookup('host', input.hostTransports);
  if (add(input.configured ?? [], 'configuration') === 0) {
    tried.push(input.configured?.length ? 'configuration: no valid LiveKit focus' : 'configuration: none');
  }
  await lookup('well-known', input.wellKnown);
  return { foci, tried };
}

/** Whether a focus is trusted: on the list, or agreed to by the user. */
export async function mayUseFocus(
  focus: LivekitFocus,
  namedBy: FocusOwner,
  trusted: TrustedFoci,
  approve: ChooseFocusInput['approve'],
): Promise<boolean> {
  if (trusted.foci.some((t) => sameService(t.focus, focus))) return true;
  return approve ? approve(focus, namedBy).catch(() => false) : false;
}

/**
 * Chooses the focus this device publishes to. Rejects with UntrustedFocusError when the call runs on
 * an untrusted focus this device would have to follow, and NoLivekitFocusError when there is none.
 */
export async function chooseLivekitFocus(input: ChooseFocusInput): Promise<FocusChoice> {
  const trusted = await trustedFoci(input);
  const fromMembers = focusFromMemberships(input.memberships ?? []);
  const tried = [...trusted.tried];

  if (fromMembers.ok && fromMembers.value.selection === 'oldest_membership') {
    const { focus, chosenFrom } = fromMembers.value;
    if (!(await mayUseFocus(focus, chosenFrom, trusted, input.approve))) {
      throw new UntrustedFocusError(focus, chosenFrom);
    }
    return { focus, source: 'membership', selection: 'oldest_membership', chosenFrom };
  }
  if (!fromMembers.ok) tried.unshift(`memberships: ${fromMembers.reason}`);

  const own = trusted.foci[0];
  if (own) return { focus: own.focus, source: own.source, selection: 'multi_sfu' };
  // No focus of our own: a multi_sfu call's oldest focus, if the user agrees.
  if (fromMembers.ok) {
    const { focus, chosenFrom } = fromMembers.value;
    if (!(await mayUseFocus(focus, chosenFrom, trusted, input.approve))) {
      throw new UntrustedFocusError(focus, chosenFrom);
    }
    return { focus, source: 'membership', selection: 'multi_sfu', chosenFrom };
  }
  throw new NoLivekitFocusError(tried);
}

/**
 * What this device writes in its own membership for the chosen focus, as Element Call 0.26 does: the
 * focus (with the room id as alias) as the preferred one, and the selection (multi_sfu unless it
 * follows an oldest_membership call).
 */
export function membershipFocusFields(
  focus: LivekitFocus,
  roomId: string,
  selection: FocusSelection = 'multi_sfu',
): {
  focus_active: { type: 'livekit'; focus_selection: FocusSelection };
  foci_preferred: Array<{ type: 'livekit'; livekit_service_url: string; livekit_alias: string }>;
} {
  return {
    focus_active: { type: 'livekit', focus_selection: selection },
    foci_preferred: [
      { type: 'livekit', livekit_service_url: focus.serviceUrl, livekit_alias: focus.alias ?? roomId },
    ],
  };
}

/** Reads `org.matrix.msc4143.rtc_foci` from a homeserver's /.well-known/matrix/client. */
export async function fetchWellKnownFoci(
  serverName: string,
  doFetch: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<readonly unknown[]> {
  const response = await doFetch(`https://${serverName}/.well-known/matrix/client`);
  if (!response.ok) throw new Error(`well-known answered ${response.status}`);
  const body: unknown = await response.json();
  const foci = isRecord(body) ? body[RTC_FOCI_WELL_KNOWN_KEY] : undefined;
  return Array.isArray(foci) ? foci : [];
}
