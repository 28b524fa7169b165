/**
 * CallFoci: the LiveKit call's media servers (foci). Choosing this device's focus from the trust sources
 * (host transports, configured foci, the homeserver's well-known) and the call's memberships (focus.ts),
 * asking its JWT service for access (token-client.ts), making rooms, and in a multi-SFU call the foci the
 * other members publish to: which ones, opening a subscriber room on one only when the user's side trusts
 * it, and which members are not received because their focus was refused or failed.
 *
 * Owns: those lookups and the host-transports log line. Never: keeps the call's state, writes a
 * membership, publishes media, or opens a room on a focus that is not trusted or approved.
 */
import type { CallMembership } from '../../signalling/membership/index.js';
import type { PersonView, UnreceivedMember } from '../../snapshot.js';
import {
  chooseLivekitFocus,
  focusFromMemberships,
  mayUseFocus,
  parseFocusSelection,
  publishingFocusOf,
  sameService,
  trustedFoci,
  UntrustedFocusError,
  type FocusChoice,
  type FocusMembership,
  type FocusOwner,
  type LivekitFocus,
} from './focus.js';
import type { KeyFanOut } from './key-fan-out.js';
import type { LiveKitGroupCallOptions } from './livekit-call-options.js';
import { loadLiveKitRoom } from './load-sfu-room.js';
import type { SfuRoom } from './sfu-room.js';
import { requestSfuAccess, type SfuAccess } from './token-client.js';

export function focusMembershipOf(m: CallMembership): FocusMembership {
  return {
    userId: m.userId,
    deviceId: m.deviceId,
    createdTs: m.createdTs,
    ...(m.focusActive !== undefined ? { focusActive: m.focusActive } : {}),
    fociPreferred: m.fociPreferred,
  };
}

function hostOfUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const deviceKeyOf = (device: { readonly userId: string; readonly deviceId: string }) =>
  `${device.userId}|${device.deviceId}`;

export class CallFoci {
  /**
   * `members`: the other members' LiveKit memberships now. `log`: the call's log.
   */
  constructor(
    private readonly options: LiveKitGroupCallOptions,
    private readonly members: () => readonly CallMembership[],
    private readonly log: (message: string) => void,
  ) {}

  /** This device's focus for a joining (may ask the user about a focus another member named). */
  choose(): Promise<FocusChoice> {
    return chooseLivekitFocus({
      memberships: this.members().map(focusMembershipOf),
      ...this.trustSources(),
      ...(this.options.approveFocus ? { approve: this.options.approveFocus } : {}),
    });
  }

  /** The LiveKit URL and JWT for a focus, from its JWT service. */
  access(focus: LivekitFocus): Promise<SfuAccess> {
    return requestSfuAccess({
      transport: this.options.transport,
      focus,
      // Session memberships publish under `${userId}:${deviceId}` (see token-client.ts).
      endpoint: 'sfu_get',
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      ...(this.options.tokenTimeoutMs !== undefined ? { timeoutMs: this.options.tokenTimeoutMs } : {}),
    });
  }

  /** A new LiveKit room (livekit-client loaded on first use, unless the options bring a loader). */
  loadRoom(e2ee: boolean): Promise<SfuRoom> {
    return (this.options.loadRoom ?? loadLiveKitRoom)({ e2ee, log: this.log });
  }

  /** Foci of the other members that differ from `own` (this device's), each once. */
  others(own: LivekitFocus | undefined): LivekitFocus[] {
    if (!own) return [];
    const members = this.members().map(focusMembershipOf);
    const oldest = focusFromMemberships(members);
    const wanted: LivekitFocus[] = [];
    for (const m of members) {
      const selection = parseFocusSelection(m.focusActive);
      if (!selection.ok) continue;
      // A multi_sfu member publishes to its own focus; an oldest_membership one to the oldest's.
      const focus =
        selection.value === 'multi_sfu' ? publishingFocusOf(m) : oldest.ok ? oldest.value.focus : undefined;
      if (focus && !sameService(focus, own) && !wanted.some((w) => sameService(w, focus))) wanted.push(focus);
    }
    return wanted;
  }

  /**
   * Connects a subscriber room to another member's focus, if the user's side trusts it. `keyFanOut`: the
   * call's key sink now (the room's keys join it); `current`: the joining that asked is still the call's.
   */
  async openRemote(
    focus: LivekitFocus,
    e2ee: boolean,
    keyFanOut: () => KeyFanOut | undefined,
    current: () => boolean,
  ): Promise<SfuRoom> {
    const owner: FocusOwner = this.members().find((m) => {
      const theirs = publishingFocusOf(focusMembershipOf(m));
      return theirs !== undefined && sameService(theirs, focus);
    }) ?? { userId: 'another member', deviceId: '' };
    const trusted = await trustedFoci(this.trustSources());
    if (!(await mayUseFocus(focus, owner, trusted, this.options.approveFocus))) {
      throw new UntrustedFocusError(focus, owner);
    }
    const access = await this.access(focus);
    const room = await this.loadRoom(e2ee);
    if (!current()) throw new Error('left the call');
    if (room.keySink) keyFanOut()?.attach(room.keySink);
    try {
      await room.connect(access.url, access.jwt);
    } catch (error) {
      await room.disconnect();
      throw error;
    }
    if (!current()) {
      await room.disconnect();
      throw new Error('left the call');
    }
    return room;
  }

  /**
   * Members whose media server this device refused or could not reach (multi-SFU): each device once,
   * with the server's host and whether it was refused as untrusted or failed.
   */
  unreceived(
    refused: readonly { readonly focus: LivekitFocus; readonly error?: unknown }[],
    describe: (userId: string) => PersonView,
  ): UnreceivedMember[] {
    if (refused.length === 0) return [];
    const members = this.members();
    const oldest = focusFromMemberships(members.map(focusMembershipOf));
    const out: UnreceivedMember[] = [];
    const seen = new Set<string>();
    for (const member of members) {
      const m = focusMembershipOf(member);
      const selection = parseFocusSelection(m.focusActive);
      if (!selection.ok) continue;
      const focus =
        selection.value === 'multi_sfu' ? publishingFocusOf(m) : oldest.ok ? oldest.value.focus : undefined;
      const hit = focus && refused.find((r) => sameService(r.focus, focus));
      const key = deviceKeyOf(member);
      if (!hit || seen.has(key)) continue;
      seen.add(key);
      out.push({
        person: describe(member.userId),
        deviceId: member.deviceId,
        host: hostOfUrl(hit.focus.serviceUrl),
        reason: hit.error instanceof UntrustedFocusError ? 'untrusted' : 'unreachable',
      });
    }
    return out;
  }

  private trustSources() {
    const hostTransports = this.hostTransports();
    return {
      ...(this.options.foci ? { configured: this.options.foci } : {}),
      ...(hostTransports ? { hostTransports } : {}),
      ...(this.options.wellKnown ? { wellKnown: this.options.wellKnown } : {}),
    };
  }

  /**
   * The host's RTC transports: the option, else the transport's own lookup (MSC4515 in a widget). A
   * host without them is said in the log, and the configured foci and well-known are used instead.
   */
  private hostTransports(): (() => Promise<readonly unknown[]>) | undefined {
    const transport = this.options.transport;
    const get =
      this.options.hostTransports ??
      (transport.getRtcTransports ? () => transport.getRtcTransports!() : undefined);
    if (!get) return undefined;
    return async () => {
      try {
        return await get();
      } catch (error) {
        const message = (error as { message?: unknown } | null)?.message;
        const why = typeof message === 'string' ? message : String(error);
        this.log(
          `no call servers from the host (${why}): using the configured foci and the homeserver's well-known`,
        );
        throw error;
      }
    };
  }
}
