/**
 * Getting a LiveKit URL and JWT from a focus's JWT service (element-hq/lk-jwt-service) with an OpenID
 * token from the widget API.
 *
 * Endpoints (lk-jwt-service requests.go):
 * - `POST {service}/get_token` { room_id, slot_id, openid_token, member: { id, claimed_user_id,
 *   claimed_device_id } }: the service names the participant by a hash of (user, device, member id).
 *   Matrix 2.0 clients use it together with `m.rtc.member` memberships.
 * - `POST {service}/sfu/get` { room, openid_token, device_id } (deprecated): the participant is
 *   `${userId}:${deviceId}`, which is what Element Call and matrix-js-sdk expect of a member with a
 *   session membership (`org.matrix.msc3401.call.member`). A device that writes such a membership must
 *   publish under that identity, so it asks `/sfu/get` ('sfu_get'), as Element Call does in that mode.
 * Both answer { url, jwt }; errors are Matrix-style { errcode, error }. 'auto' tries `/get_token` and
 * falls back to `/sfu/get` when the service does not know it, as Element Call does for foci where it
 * does not publish.
 *
 * Owns: the requests, their bodies, and plain-words errors. Never: chooses the focus (focus.ts),
 * connects to LiveKit, or keeps tokens.
 */
import { fromBase64 } from '../../encoding/base64.js';
import type { MatrixTransport, OpenIdToken } from '../../transport/transport.js';
import type { LivekitFocus } from './focus.js';

export type JwtEndpoint = 'get_token' | 'sfu_get';

export interface SfuAccess {
  /** LiveKit websocket URL. */
  readonly url: string;
  readonly jwt: string;
  readonly endpoint: JwtEndpoint;
  /** From the JWT's payload when readable: the LiveKit room and the identity granted. */
  readonly livekitAlias?: string;
  readonly livekitIdentity?: string;
}

export interface SfuTokenRequest {
  readonly transport: Pick<MatrixTransport, 'requestOpenIdToken' | 'userId' | 'deviceId' | 'roomId'>;
  readonly focus: LivekitFocus;
  /** This device's MatrixRTC member id; `${userId}:${deviceId}` when it has none. */
  readonly memberId?: string;
  /** Default 'auto'. */
  readonly endpoint?: 'auto' | JwtEndpoint;
  /** MatrixRTC slot, default `m.call#ROOM` (the room's call), as Element Call sends. */
  readonly slotId?: string;
  readonly fetch?: typeof fetch;
  /** Per request; default 15 s. */
  readonly timeoutMs?: number;
}

export type SfuTokenErrorKind =
  | 'openid' // the host gave no OpenID token
  | 'unreachable' // network error, CORS refusal or timeout
  | 'unauthorized' // 401: the service could not verify the OpenID token
  | 'rejected' // other 4xx
  | 'server' // 5xx
  | 'bad-response'; // 2xx without a usable { url, jwt }

export class SfuTokenError extends Error {
  override readonly name = 'SfuTokenError';
  constructor(
    readonly kind: SfuTokenErrorKind,
    /** What to show a person; it says what went wrong and who can fix it. */
    readonly userMessage: string,
    readonly details: { readonly serviceUrl: string; readonly status?: number; readonly errcode?: string },
  ) {
    super(userMessage);
  }
}

const SERVICE = "the call's media server sign-in service";

function plainError(
  kind: SfuTokenErrorKind,
  serviceUrl: string,
  extra: { status?: number; errcode?: string; error?: string; why?: string } = {},
): SfuTokenError {
  const at = `${SERVICE} (${serviceUrl})`;
  const code = [extra.status, extra.errcode].filter((x) => x !== undefined).join(' ');
  let message: string;
  switch (kind) {
    case 'openid':
      message = `Your Matrix client did not hand out an OpenID token, which the media server needs to know who you are${extra.why ? ` (${extra.why})` : ''}. Allow the widget to verify your identity and try again.`;
      break;
    case 'unreachable':
      message = `Could not reach ${at}${extra.why ? `: ${extra.why}` : ''}. Check your connection; if it keeps failing, the server admin should check that the service is running and accepts requests from this page (CORS).`;
      break;
    case 'unauthorized':
      message = `${cap(at)} refused your sign-in (${code}): it could not confirm your Matrix identity with your homeserver. The server admin should check that the service can reach your homeserver and that it accepts users of your homeserver.`;
      break;
    case 'rejected':
      message = `${cap(at)} rejected the request (${code})${extra.error ? `: ${extra.error}` : ''}.`;
      break;
    case 'server':
      message = `${cap(at)} failed (${code})${extra.error ? `: ${extra.error}` : ''}. Try again in a moment; if it keeps failing, the server admin should check the service and its LiveKit SFU.`;
      break;
    case 'bad-response':
      message = `${cap(at)} answered, but not with a LiveKit address and token${extra.why ? ` (${extra.why})` : ''}. The server admin should check that the URL points at lk-jwt-service.`;
      break;
  }
  return new SfuTokenError(kind, message, {
    serviceUrl,
    ...(extra.status === undefined ? {} : { status: extra.status }),
    ...(extra.errcode === undefined ? {} : { errcode: extra.errcode }),
  });
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function decodeJwtPayload(jwt: string): { sub?: unknown; video?: { room?: unknown } } | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const bytes = fromBase64(payload);
    if (!bytes) return undefined;
    const json = new TextDecoder().decode(bytes);
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null
      ? (value as { sub?: unknown; video?: { room?: unknown } })
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a 2xx body: { url: ws(s)/http(s) URL, jwt: three dot-separated parts }. Never throws. */
export function parseSfuAccess(
  body: unknown,
  endpoint: JwtEndpoint,
): { ok: true; value: SfuAccess } | { ok: false; reason: string } {
  if (typeof body !== 'object' || body === null)
    return { ok: false, reason: 'the body is not a JSON object' };
  const { url, jwt } = body as Record<string, unknown>;
  if (typeof url !== 'string' || !/^(wss?|https?):\/\//.test(url))
    return { ok: false, reason: 'url is not a websocket URL' };
  if (typeof jwt !== 'string' || jwt.split('.').length !== 3)
    return { ok: false, reason: 'jwt is not a JWT' };
  const payload = decodeJwtPayload(jwt);
  const room = payload?.video?.room;
  const sub = payload?.sub;
  return {
    ok: true,
    value: {
      url,
      jwt,
      endpoint,
      ...(typeof room === 'string' ? { livekitAlias: room } : {}),
      ...(typeof sub === 'string' ? { livekitIdentity: sub } : {}),
    },
  };
}

interface Attempt {
  readonly status: number;
  readonly body: unknown;
}

async function post(
  doFetch: typeof fetch,
  url: string,
  body: object,
  timeoutMs: number,
  serviceUrl: string,
): Promise<Attempt> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: abort.signal,
    });
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    const why = abort.signal.aborted
      ? `no answer within ${Math.round(timeoutMs / 1000)} s`
      : error instanceof Error
        ? error.message
        : String(error);
    throw plainError('unreachable', serviceUrl, { why });
  } finally {
    clearTimeout(timer);
  }
}

function errorFor(attempt: Attempt, serviceUrl: string): SfuTokenError {
  const body = (typeof attempt.body === 'object' && attempt.body !== null ? attempt.body : {}) as Record<
    string,
    unknown
  >;
  const errcode = typeof body['errcode'] === 'string' ? body['errcode'] : undefined;
  const error = typeof body['error'] === 'string' ? body['error'].slice(0, 200) : undefined;
  const extra = { status: attempt.status, ...(errcode ? { errcode } : {}), ...(error ? { error } : {}) };
  if (attempt.status === 401) return plainError('unauthorized', serviceUrl, extra);
  if (attempt.status >= 500) return plainError('server', serviceUrl, extra);
  return plainError('rejected', serviceUrl, extra);
}

/** A `/get_token` answer that means "this service predates /get_token": try `/sfu/get`. */
function meansNoGetToken(attempt: Attempt): boolean {
  if (attempt.status === 404 || attempt.status === 405) return true;
  // Older services reject fields they do not know with 400 M_NOT_JSON / M_BAD_JSON.
  if (attempt.status === 400) return true;
  // A proxy that answers unknown paths with a web page.
  return attempt.status >= 200 && attempt.status < 300 && !parseSfuAccess(attempt.body, 'get_token').ok;
}

/** Asks the focus's JWT service for a LiveKit URL and token. Rejects with SfuTokenError. */
export async function requestSfuAccess(request: SfuTokenRequest): Promise<SfuAccess> {
  const serviceUrl = request.focus.serviceUrl.replace(/\/+$/, '');
  const doFetch = request.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = request.timeoutMs ?? 15_000;
  const endpoint = request.endpoint ?? 'auto';
  const { transport } = request;

  let openIdToken: OpenIdToken;
  try {
    openIdToken = await transport.requestOpenIdToken();
  } catch (error) {
    throw plainError('openid', serviceUrl, { why: error instanceof Error ? error.message : String(error) });
  }

  const finish = (attempt: Attempt, used: JwtEndpoint): SfuAccess => {
    if (attempt.status < 200 || attempt.status >= 300) throw errorFor(attempt, serviceUrl);
    const access = parseSfuAccess(attempt.body, used);
    if (!access.ok) throw plainError('bad-response', serviceUrl, { why: access.reason });
    return access.value;
  };

  if (endpoint !== 'sfu_get') {
    const attempt = await post(
      doFetch,
      `${serviceUrl}/get_token`,
      {
        room_id: transport.roomId,
        slot_id: request.slotId ?? 'm.call#ROOM',
        openid_token: openIdToken,
        member: {
          id: request.memberId ?? `${transport.userId}:${transport.deviceId}`,
          claimed_user_id: transport.userId,
          claimed_device_id: transport.deviceId,
        },
      },
      timeoutMs,
      serviceUrl,
    );
    if (endpoint === 'get_token' || !meansNoGetToken(attempt)) return finish(attempt, 'get_token');
  }

  const legacy = await post(
    doFetch,
    `${serviceUrl}/sfu/get`,
    { room: transport.roomId, openid_token: openIdToken, device_id: transport.deviceId },
    timeoutMs,
    serviceUrl,
  );
  return finish(legacy, 'sfu_get');
}
