/**
 * Reads the widget's launch parameters from its URL: widgetId, parentUrl, roomId, userId, deviceId,
 * baseUrl, theme and lang, from the query string or from a `#?` fragment (hosts use both: Element Web
 * appends widgetId and parentUrl to the query, widget authors put their template variables in the
 * fragment). When a name appears in both, the query string wins.
 *
 * Owns: turning a URL into WidgetParams or a plain reason. Never: throws, or talks to the host.
 *
 * Template variables for a widget URL in Element Web:
 *   ?roomId=$matrix_room_id&userId=$matrix_user_id&deviceId=$org.matrix.msc3819.matrix_device_id
 *   &baseUrl=$org.matrix.msc4039.matrix_base_url&theme=$org.matrix.msc2873.client_theme
 *   &lang=$org.matrix.msc2873.client_language
 * A value still starting with `$` is a variable the host did not fill in, and is treated as absent.
 *
 * Group calls, set by whoever adds the widget (not host template variables):
 *   groupBackend=mesh|livekit|auto   what carries group calls (the widget's default is auto)
 *   livekitServiceUrl=https://…      the LiveKit JWT service (lk-jwt-service) for SFU calls nobody is in yet
 */
import type { GroupBackend } from '../snapshot.js';

export interface WidgetParams {
  readonly widgetId: string;
  /** The host page's URL; its origin is the only one the widget talks to. */
  readonly parentUrl: string;
  readonly parentOrigin: string;
  readonly roomId: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly baseUrl?: string;
  readonly theme?: string;
  readonly lang?: string;
  /** What carries group calls, when the URL says. */
  readonly groupBackend?: GroupBackend;
  /** The LiveKit JWT service URL (a LiveKit focus), when the URL gives one. */
  readonly livekitServiceUrl?: string;
}

export type ParsedWidgetParams =
  { readonly ok: true; readonly value: WidgetParams } | { readonly ok: false; readonly reason: string };

const NAMES = [
  'widgetId',
  'parentUrl',
  'roomId',
  'userId',
  'deviceId',
  'baseUrl',
  'theme',
  'lang',
  'groupBackend',
  'livekitServiceUrl',
] as const;
const GROUP_BACKENDS: readonly GroupBackend[] = ['mesh', 'livekit', 'auto'];
type Name = (typeof NAMES)[number];

/** Parses `href` (default: the page's own URL). */
export function parseWidgetParams(href: string = globalThis.location?.href ?? ''): ParsedWidgetParams {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { ok: false, reason: `The widget URL is not a URL: ${href.slice(0, 100)}` };
  }
  const query = url.searchParams;
  const hash = url.hash.startsWith('#') ? url.hash.slice(1) : '';
  const questionMark = hash.indexOf('?');
  const fragment = new URLSearchParams(questionMark >= 0 ? hash.slice(questionMark + 1) : '');

  const raw: Partial<Record<Name, string>> = {};
  for (const name of NAMES) {
    const value = usable(query.get(name)) ?? usable(fragment.get(name));
    if (value !== undefined) raw[name] = value;
  }

  const missing = (['widgetId', 'parentUrl', 'roomId', 'userId', 'deviceId'] as const).filter((n) => !raw[n]);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `The widget URL lacks ${missing.join(', ')}. The host must add them (see docs on widget set-up).`,
    };
  }
  const { widgetId, parentUrl, roomId, userId, deviceId } = raw as Record<Name, string>;

  let parentOrigin: string;
  try {
    parentOrigin = new URL(parentUrl).origin;
  } catch {
    return { ok: false, reason: `parentUrl is not a URL: ${parentUrl.slice(0, 100)}` };
  }
  if (parentOrigin === 'null') return { ok: false, reason: 'parentUrl has no origin.' };
  if (!/^![^:]+:.+$/.test(roomId)) return { ok: false, reason: `roomId is not a Matrix room id: ${roomId}` };
  if (!/^@[^:]+:.+$/.test(userId)) return { ok: false, reason: `userId is not a Matrix user id: ${userId}` };
  if (raw.baseUrl !== undefined && !isHttpUrl(raw.baseUrl)) {
    return { ok: false, reason: `baseUrl is not an http(s) URL: ${raw.baseUrl}` };
  }
  const groupBackend = GROUP_BACKENDS.find((b) => b === raw.groupBackend);
  if (raw.groupBackend !== undefined && !groupBackend) {
    return {
      ok: false,
      reason: `groupBackend must be mesh, livekit or auto, not ${raw.groupBackend.slice(0, 40)}.`,
    };
  }
  if (raw.livekitServiceUrl !== undefined && !isHttpUrl(raw.livekitServiceUrl)) {
    return {
      ok: false,
      reason: `livekitServiceUrl is not an http(s) URL: ${raw.livekitServiceUrl.slice(0, 100)}`,
    };
  }

  return {
    ok: true,
    value: {
      widgetId,
      parentUrl,
      parentOrigin,
      roomId,
      userId,
      deviceId,
      ...(raw.baseUrl !== undefined ? { baseUrl: raw.baseUrl } : {}),
      ...(raw.theme !== undefined ? { theme: raw.theme } : {}),
      ...(raw.lang !== undefined ? { lang: raw.lang } : {}),
      ...(groupBackend !== undefined ? { groupBackend } : {}),
      ...(raw.livekitServiceUrl !== undefined ? { livekitServiceUrl: raw.livekitServiceUrl } : {}),
    },
  };
}

function usable(value: string | null): string | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.startsWith('$') || trimmed.length > 2048) return undefined;
  return trimmed;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
