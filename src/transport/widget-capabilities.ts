/**
 * Turns the kit's Needs into widget API capability strings, and tells which needs a host granted.
 *
 * Owns: the mapping Need -> capabilities (MSC2762 events, state, to-device and timeline; MSC3846
 * TURN; MSC4039 upload; MSC4157 delayed events; MSC4515 RTC transports). Never: talks to the host.
 *
 * Each need has essential capabilities (refusing any of them refuses the need) and supporting
 * ones (asked for alongside, not required): room events and state also ask for the room's timeline
 * capability, as matrix-js-sdk's widget client does, because reading with an explicit room id and
 * receiving events outside the viewed room both need it. An OpenID token has no capability: the
 * host asks the user when the token is requested, so that need is never refused up front. The
 * host's RTC transports (MSC4515) are asked for as a supporting capability only: a host that does not
 * grant them leaves the kit on its other foci.
 */
import { EventDirection, MatrixCapabilities, WidgetEventCapability } from 'matrix-widget-api';
import type { Need } from './transport.js';

export interface NeedCapabilities {
  readonly essential: readonly string[];
  readonly supporting: readonly string[];
}

export function timelineCapability(roomId: string): string {
  return `org.matrix.msc2762.timeline:${roomId}`;
}

export function capabilitiesFor(need: Need, roomId: string): NeedCapabilities {
  const timeline = [timelineCapability(roomId)];
  switch (need.kind) {
    case 'send-event':
      return {
        essential: [WidgetEventCapability.forRoomEvent(EventDirection.Send, need.type).raw],
        supporting: timeline,
      };
    case 'receive-event':
      return {
        essential: [WidgetEventCapability.forRoomEvent(EventDirection.Receive, need.type).raw],
        supporting: timeline,
      };
    case 'send-state':
      return {
        essential: [WidgetEventCapability.forStateEvent(EventDirection.Send, need.type, need.stateKey).raw],
        supporting: timeline,
      };
    case 'receive-state':
      return {
        essential: [
          WidgetEventCapability.forStateEvent(EventDirection.Receive, need.type, need.stateKey).raw,
        ],
        supporting: timeline,
      };
    case 'send-to-device':
      return {
        essential: [WidgetEventCapability.forToDeviceEvent(EventDirection.Send, need.type).raw],
        supporting: [],
      };
    case 'receive-to-device':
      return {
        essential: [WidgetEventCapability.forToDeviceEvent(EventDirection.Receive, need.type).raw],
        supporting: [],
      };
    case 'turn-servers':
      return { essential: [MatrixCapabilities.MSC3846TurnServers], supporting: [] };
    case 'read-timeline':
      return { essential: timeline, supporting: [] };
    case 'openid':
      return { essential: [], supporting: [] };
    case 'upload-file':
      return { essential: [MatrixCapabilities.MSC4039UploadFile], supporting: [] };
    case 'download-file':
      return { essential: [MatrixCapabilities.MSC4039DownloadFile], supporting: [] };
    case 'delayed-events':
      return {
        essential: [MatrixCapabilities.MSC4157SendDelayedEvent, MatrixCapabilities.MSC4157UpdateDelayedEvent],
        supporting: [],
      };
    case 'rtc-transports':
      // Asked for, never required: older hosts do not know it, and the kit falls back without it.
      return { essential: [], supporting: [MatrixCapabilities.MSC4515RtcTransports] };
  }
}

/** Every capability to ask for, without repeats, in a stable order. */
export function capabilitiesToRequest(needs: readonly Need[], roomId: string): string[] {
  const all = needs.flatMap((need) => {
    const { essential, supporting } = capabilitiesFor(need, roomId);
    return [...essential, ...supporting];
  });
  return [...new Set(all)];
}

/** The needs whose essential capabilities are not all in `approved`. */
export function refusedNeeds(needs: readonly Need[], roomId: string, approved: ReadonlySet<string>): Need[] {
  return needs.filter((need) => capabilitiesFor(need, roomId).essential.some((c) => !approved.has(c)));
}
