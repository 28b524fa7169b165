/**
 * The live memberships of a room's call, from the membership state events of both formats.
 *
 * Owns: the latest reading per membership state event (type + state key), the immutable list of live
 * memberships of the room's call (oldest first, one per device, expired ones left out, and only of
 * users joined to the room: a kicked, banned or departed user's membership does not count, as
 * matrix-js-sdk filters too), a timer that drops memberships when they expire, and a `change` event
 * whenever the list changes.
 * Never: writes to Matrix, or decides anything about this device's own membership (the manager does).
 *
 * One state event counts for at most MAX_DEVICES_PER_EVENT live devices of the room's call (the first
 * in its order): the per-user formats (famedly's, and Element's legacy `memberships[]`) list a user's
 * devices in one event, each a claim of the sender, and 64 fake devices in one event filled the mesh.
 * Each entry's device already belongs to the event's sender (the parsers check the state key).
 *
 * Initial state comes from `readState`; later changes from `onRoomEvent`. An event that arrives while
 * the initial read is under way wins over what the read returns for the same state key.
 */
import {
  compareByAge,
  deviceKeyOf,
  isLiveAt,
  isRoomCall,
  MEMBER_EVENT_TYPES,
  parseMembershipEvent,
  type CallMembership,
  type MembershipStateReading,
} from '../signalling/membership/index.js';
import type { MatrixTransport, RawRoomEvent, Unsubscribe } from '../transport/transport.js';
import { realClock, type MembershipClock } from './membership-clock.js';

export interface MembershipSetOptions {
  readonly transport: Pick<MatrixTransport, 'roomId' | 'readState' | 'onRoomEvent'>;
  readonly clock?: MembershipClock;
  /** Told about events that were not understood (malformed, spoofed state keys). */
  readonly log?: (message: string) => void;
}

function freezeMembership(m: CallMembership): CallMembership {
  return Object.freeze({
    ...m,
    backend: Object.freeze({ ...m.backend }),
    fociPreferred: Object.freeze([...m.fociPreferred]),
  });
}

/**
 * Live devices of the room's call that one membership state event may claim. A person is rarely in
 * one call from more than two or three devices at once; the rest of an event's entries are ignored.
 */
export const MAX_DEVICES_PER_EVENT = 4;

const stateId = (type: string, stateKey: string) => `${type}\u0000${stateKey}`;
const ROOM_MEMBER = 'm.room.member';

/** The `membership` of an m.room.member event ('join', 'leave', 'ban', ...), or undefined. */
function roomMembershipOf(event: RawRoomEvent): string | undefined {
  const value = (event.content as { membership?: unknown } | undefined)?.membership;
  return typeof value === 'string' ? value : undefined;
}

export class MembershipSet extends EventTarget {
  private readonly clock: MembershipClock;
  private readonly readings = new Map<string, MembershipStateReading>();
  /** The raw event behind each reading (famedly writes need the user's current content). */
  private readonly rawEvents = new Map<string, RawRoomEvent>();
  private touchedDuringRead: Set<string> | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private expiryTimer: unknown;
  private list: readonly CallMembership[] = Object.freeze([]);
  private signature = '';
  /** Room membership per user from m.room.member state; undefined while unknown (no filter then). */
  private roomMembers: Map<string, string> | undefined;

  constructor(private readonly options: MembershipSetOptions) {
    super();
    this.clock = options.clock ?? realClock;
  }

  /** Live memberships of the room's call, oldest first, one per device. Frozen; replaced on change. */
  get memberships(): readonly CallMembership[] {
    return this.list;
  }

  /** The current membership event of a state key, as last seen (undefined when none). */
  rawEvent(type: string, stateKey: string): RawRoomEvent | undefined {
    return this.rawEvents.get(stateId(type, stateKey));
  }

  /** Every membership (any call, expired too) a state event currently holds. */
  reading(type: string, stateKey: string): MembershipStateReading | undefined {
    return this.readings.get(stateId(type, stateKey));
  }

  /** Memberships of this device in any state event, live or not, of the room's call. */
  membershipsOfDevice(userId: string, deviceId: string): CallMembership[] {
    const out: CallMembership[] = [];
    for (const reading of this.readings.values()) {
      for (const m of reading.memberships) {
        if (m.userId === userId && m.deviceId === deviceId && isRoomCall(m, this.options.transport.roomId)) {
          out.push(m);
        }
      }
    }
    return out;
  }

  /** Subscribes, then reads the current state of both membership types. */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.touchedDuringRead = new Set();
    this.unsubscribe = this.options.transport.onRoomEvent((event) => this.onEvent(event));
    for (const type of MEMBER_EVENT_TYPES) {
      let events: RawRoomEvent[] = [];
      try {
        events = await this.options.transport.readState(type);
      } catch (error) {
        this.options.log?.(`could not read ${type} state: ${String(error)}`);
      }
      for (const event of events) {
        if (!this.touchedDuringRead.has(stateId(event.type, event.state_key ?? ''))) this.apply(event);
      }
    }
    await this.readRoomMembers();
    this.touchedDuringRead = undefined;
    this.recompute();
  }

  /**
   * Reads who is in the room. When the host refuses the read, memberships are not filtered (and that
   * is logged): the homeserver still stops a departed user from writing new state.
   */
  private async readRoomMembers(): Promise<void> {
    let events: RawRoomEvent[];
    try {
      events = await this.options.transport.readState(ROOM_MEMBER);
    } catch (error) {
      this.options.log?.(
        `could not read ${ROOM_MEMBER} state, so memberships are not checked against it: ${String(error)}`,
      );
      return;
    }
    const members = this.roomMembers ?? new Map<string, string>();
    for (const event of events) {
      const userId = event.state_key;
      const membership = roomMembershipOf(event);
      if (!userId || !membership || event.room_id !== this.options.transport.roomId) continue;
      if (!this.touchedDuringRead?.has(stateId(ROOM_MEMBER, userId))) members.set(userId, membership);
    }
    this.roomMembers = members;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  /** Takes in a membership state event (also used for events the kit itself just wrote). */
  ingest(event: RawRoomEvent): void {
    if (this.apply(event)) this.recompute();
  }

  /** Re-evaluates expiry now (e.g. after the clock jumped). */
  refresh(): void {
    this.recompute();
  }

  private onEvent(event: RawRoomEvent): void {
    if (event.type === ROOM_MEMBER) {
      this.onRoomMember(event);
      return;
    }
    if (event.state_key === undefined || !MEMBER_EVENT_TYPES.includes(event.type)) return;
    this.touchedDuringRead?.add(stateId(event.type, event.state_key));
    this.ingest(event);
  }

  private onRoomMember(event: RawRoomEvent): void {
    const userId = event.state_key;
    const membership = roomMembershipOf(event);
    if (!userId || !membership || event.room_id !== this.options.transport.roomId) return;
    this.touchedDuringRead?.add(stateId(ROOM_MEMBER, userId));
    // Events seen before the first read still count once the read tells who else is there.
    (this.roomMembers ??= new Map()).set(userId, membership);
    this.recompute();
  }

  /** A membership counts only while its user is joined to the room (when the room's members are known). */
  private isJoined(userId: string): boolean {
    return this.roomMembers === undefined || this.roomMembers.get(userId) === 'join';
  }

  private apply(event: RawRoomEvent): boolean {
    if (event.state_key === undefined || event.room_id !== this.options.transport.roomId) return false;
    const id = stateId(event.type, event.state_key);
    const parsed = parseMembershipEvent(event);
    this.rawEvents.set(id, event);
    if (!parsed.ok) {
      this.options.log?.(`ignored ${event.type} ${event.state_key} from ${event.sender}: ${parsed.reason}`);
      this.readings.delete(id);
      return true;
    }
    for (const reason of parsed.value.skipped) {
      this.options.log?.(`ignored part of ${event.type} ${event.state_key}: ${reason}`);
    }
    const devices = new Set(parsed.value.memberships.map((m) => m.deviceId)).size;
    if (devices > MAX_DEVICES_PER_EVENT) {
      this.options.log?.(
        `${event.type} ${event.state_key} from ${event.sender} claims ${devices} devices: ` +
          `at most ${MAX_DEVICES_PER_EVENT} live ones count`,
      );
    }
    this.readings.set(id, parsed.value);
    return true;
  }

  private recompute(): void {
    const now = this.clock.now();
    const roomId = this.options.transport.roomId;
    const byDevice = new Map<string, CallMembership>();
    let nextExpiry = Infinity;
    for (const reading of this.readings.values()) {
      const claimed = new Set<string>();
      for (const membership of reading.memberships) {
        if (!isRoomCall(membership, roomId) || !isLiveAt(membership, now)) continue;
        if (!this.isJoined(membership.userId)) continue;
        if (!claimed.has(membership.deviceId) && claimed.size >= MAX_DEVICES_PER_EVENT) continue;
        claimed.add(membership.deviceId);
        nextExpiry = Math.min(nextExpiry, membership.expiresAt);
        const key = deviceKeyOf(membership);
        const other = byDevice.get(key);
        // A device in both formats: the newer joining counts.
        if (!other || other.createdTs < membership.createdTs) byDevice.set(key, membership);
      }
    }
    const list = [...byDevice.values()].sort(compareByAge).map(freezeMembership);

    this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (nextExpiry !== Infinity && this.unsubscribe) {
      this.expiryTimer = this.clock.setTimeout(() => this.recompute(), Math.max(0, nextExpiry - now));
    }

    const signature = list
      .map((m) => [m.userId, m.deviceId, m.sessionId, m.expiresAt, m.eventId, m.backend.type].join('|'))
      .join('\n');
    if (signature === this.signature) return;
    this.signature = signature;
    this.list = Object.freeze(list);
    this.dispatchEvent(new Event('change'));
  }
}
