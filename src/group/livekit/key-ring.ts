/**
 * The media E2EE key ring of one SFU call: this device's own key and every key received from the
 * other members, with Element Call's rules for when to make a new key.
 *
 * Rules (matrix-js-sdk RTCEncryptionManager, the to-device manager Element Call uses, and its config):
 * - The own key is 16 random bytes; the first has index 0 and is used at once; each new key takes the
 *   next index modulo 256.
 * - Someone leaves: a new key, sent to everyone who remains, after `leaveRotationDelayMs` (so several
 *   people leaving together cost one rotation). Element Call's config sets 3 s for this
 *   (`wait_for_key_rotation_ms`, matrix-js-sdk `makeKeyDelay`); famedly waits 4 s.
 * - Someone joins: if the current key is younger than `freshKeyWindowMs` (10 s, matrix-js-sdk
 *   `keyRotationGracePeriodMs`) it is sent to the newcomers only; otherwise a new key goes to everyone.
 *   A member whose membership was re-created (new created_ts) counts as a newcomer.
 * - A new key is used for our own media only `useKeyDelayMs` after it was sent (1 s, matrix-js-sdk's
 *   to-device default), so the others hold it before the first frame needs it.
 * - Only one distribution runs at a time; changes during one start another right after.
 * - A key request (famedly) from a current member is answered with the current key.
 * - Remote keys are kept per (user, device, index); one that is older (sent_ts) than the one held for
 *   the same slot is dropped (keys can arrive out of order after a quick leave and join).
 * - The own key goes to the members the recipient filter admits (setRecipients; every member when none
 *   is set): a member the filter stops admitting counts as a leaver (new key after the leave delay), one
 *   it starts admitting as a newcomer. The walkie-talkie's listen-only join narrows it to the devices
 *   opted in to receive (docs/security.md, "The walkie-talkie's media key on the SFU").
 *
 * Trust (docs/security.md, "Media keys"): a remote key is used (kept and handed to the sink) only
 * when its device is a current member of the call. A key from a device not (yet) a member waits in a
 * small bounded room, since to-device keys can overtake the membership state they belong to, and is
 * used only when that device becomes a member. What keys can make the ring hold is bounded
 * (KEY_RING_BOUNDS): the latest `keysPerDevice` indexes per member device, `keyedDevices` member
 * devices, and `waitingKeysPerDevice` x `waitingDevicesPerUser` / `waitingDevices` for keys that wait.
 *
 * Owns: key material, the rotation decision, and handing keys to the KeyProviderSink.
 * Never: sends events itself (the `send` callback does, see key-exchange.ts), reads memberships from
 * Matrix, or imports livekit-client.
 */
import { legacyParticipantIdentity, type MemberIdentity } from './participant-identity.js';
import { systemClock as clampedSystemClock } from '../../time/system-clock.js';

/** Where keys go to be used: implemented over livekit-client's key provider (livekit-key-provider.ts). */
export interface KeyProviderSink {
  setKey(participantIdentity: string, keyBytes: Uint8Array, index: number): void;
}

/** A remote device in the call, as its membership describes it. */
export interface KeyRingMember extends MemberIdentity {
  /** The membership's creation time (created_ts, else the event's origin_server_ts). */
  readonly membershipTs: number;
}

export interface OutboundKey {
  readonly index: number;
  readonly key: Uint8Array;
  /** Clock time it was made. */
  readonly createdAt: number;
}

export interface RemoteKey {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId?: string;
  readonly index: number;
  readonly key: Uint8Array;
  readonly sentTs?: number;
}

/** Time, injectable so tests control it. */
export interface KeyRingClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The system clock, every delay clamped (src/time/system-clock.ts). */
export const systemClock: KeyRingClock = clampedSystemClock;

export const KEY_RING_DEFAULTS = {
  leaveRotationDelayMs: 3_000,
  useKeyDelayMs: 1_000,
  freshKeyWindowMs: 10_000,
} as const;

/**
 * What other devices can make the ring hold. A member rotating its key uses one index per rotation,
 * and only the newest is needed to decrypt it, so 16 per device is ample; 1024 keyed devices is past
 * any call the SFU carries with E2EE. Keys waiting for their sender's membership bridge the moment
 * between a member's key and its membership state (one key or two); the claimed device id is chosen
 * by the sender, so the waiting room is bounded per user too. The oldest entry makes way.
 */
export const KEY_RING_BOUNDS = {
  keysPerDevice: 16,
  keyedDevices: 1024,
  waitingKeysPerDevice: 4,
  waitingDevicesPerUser: 4,
  waitingDevices: 32,
} as const;

/** What became of a key from another device. */
export type KeyReceipt = { readonly taken: 'used' | 'waiting' } | { readonly dropped: string };

export interface KeyRingOptions {
  readonly own: Required<MemberIdentity>;
  /** Sends `key` to `to`; rejects when it could not. */
  readonly send: (key: OutboundKey, to: readonly KeyRingMember[]) => Promise<void>;
  readonly sink?: KeyProviderSink;
  /** LiveKit identity of a member; `${userId}:${deviceId}` unless the call uses hashed identities. */
  readonly identityOf?: (member: MemberIdentity) => string;
  readonly clock?: KeyRingClock;
  readonly randomBytes?: (length: number) => Uint8Array;
  readonly leaveRotationDelayMs?: number;
  readonly useKeyDelayMs?: number;
  readonly freshKeyWindowMs?: number;
  /** A distribution failed; the next membership change or request tries again. */
  readonly onError?: (error: unknown) => void;
}

const KEY_BYTES = 16;
const deviceKey = (m: { readonly userId: string; readonly deviceId: string }) => `${m.userId}|${m.deviceId}`;

interface OwnKeyState extends OutboundKey {
  /** deviceKey -> membershipTs of the membership it was sent to. */
  readonly sharedWith: Map<string, number>;
  /** Handed to the sink for our own media. */
  inUse: boolean;
}

export class KeyRing {
  private readonly clock: KeyRingClock;
  private readonly identityOf: (member: MemberIdentity) => string;
  private readonly randomBytes: (length: number) => Uint8Array;
  private readonly leaveRotationDelayMs: number;
  private readonly useKeyDelayMs: number;
  private readonly freshKeyWindowMs: number;
  private sink: KeyProviderSink | undefined;

  private members = new Map<string, KeyRingMember>();
  /** Which members the own key may go to; undefined: all of them. */
  private admits: ((member: MemberIdentity) => boolean) | undefined;
  private own: OwnKeyState | undefined;
  private readonly remote = new Map<string, Map<number, RemoteKey>>();
  /** Keys from devices that are not members (yet): deviceKey -> keys, oldest device first. */
  private readonly waiting = new Map<string, RemoteKey[]>();
  private leaveTimer: unknown;
  private rotationDue = false;
  private distributing: Promise<void> | undefined;
  private distributeAgain = false;
  private readonly useTimers = new Set<unknown>();
  private disposed = false;

  constructor(private readonly options: KeyRingOptions) {
    this.clock = options.clock ?? systemClock;
    this.identityOf = options.identityOf ?? legacyParticipantIdentity;
    this.randomBytes = options.randomBytes ?? ((length) => crypto.getRandomValues(new Uint8Array(length)));
    this.leaveRotationDelayMs = options.leaveRotationDelayMs ?? KEY_RING_DEFAULTS.leaveRotationDelayMs;
    this.useKeyDelayMs = options.useKeyDelayMs ?? KEY_RING_DEFAULTS.useKeyDelayMs;
    this.freshKeyWindowMs = options.freshKeyWindowMs ?? KEY_RING_DEFAULTS.freshKeyWindowMs;
    this.sink = options.sink;
  }

  /** The own key currently distributed (not necessarily in use yet), if any. */
  get currentKey(): OutboundKey | undefined {
    return this.own && { index: this.own.index, key: this.own.key, createdAt: this.own.createdAt };
  }

  /** Index of the own key our media is encrypted with, if one is in use. */
  get keyIndexInUse(): number | undefined {
    return this.indexInUse;
  }
  private indexInUse: number | undefined;

  /** Every remote key held, for inspection. */
  remoteKeys(): RemoteKey[] {
    return [...this.remote.values()].flatMap((slots) => [...slots.values()]);
  }

  /** How many keys wait for their device's membership (never handed to the sink). */
  get waitingKeyCount(): number {
    let count = 0;
    for (const keys of this.waiting.values()) count += keys.length;
    return count;
  }

  /** Resolves when no distribution is running (tests and orderly shutdown). */
  async settled(): Promise<void> {
    while (this.distributing) await this.distributing;
  }

  /**
   * Sets the sink, replaying what it has missed: every remote key held and the own key in use.
   */
  attachSink(sink: KeyProviderSink): void {
    this.sink = sink;
    for (const key of this.remoteKeys()) sink.setKey(this.identityOf(key), key.key, key.index);
    if (this.own?.inUse) sink.setKey(this.identityOf(this.options.own), this.own.key, this.own.index);
  }

  /** The call's current members (this device among them or not); distributes keys as the rules say. */
  setMembers(members: readonly KeyRingMember[]): void {
    if (this.disposed) return;
    const next = new Map<string, KeyRingMember>();
    for (const member of members) {
      if (member.userId === this.options.own.userId && member.deviceId === this.options.own.deviceId)
        continue;
      next.set(deviceKey(member), member);
    }
    for (const [id, before] of this.members) {
      const now = next.get(id);
      if (!now || now.membershipTs !== before.membershipTs) this.remote.delete(id);
    }
    this.members = next;
    for (const [id, keys] of this.waiting) {
      if (!next.has(id)) continue;
      this.waiting.delete(id);
      for (const key of keys) this.useRemoteKey(key);
    }
    this.recipientsChanged();
  }

  /**
   * Narrows who receives the own key to the members `admits` says yes to (undefined: every member).
   * Call again (with the same or a new filter) whenever its answers may have changed: members it no
   * longer admits are treated as leavers, members it now admits as newcomers. Remote keys are not
   * affected: they are used as the membership says.
   */
  setRecipients(admits: ((member: MemberIdentity) => boolean) | undefined): void {
    if (this.disposed) return;
    this.admits = admits;
    this.recipientsChanged();
  }

  /** The members the own key goes to now. */
  private recipients(): Map<string, KeyRingMember> {
    const admits = this.admits;
    if (!admits) return this.members;
    return new Map([...this.members].filter(([, member]) => admits(member)));
  }

  private recipientsChanged(): void {
    if (this.own && this.leftSinceShared().length > 0 && this.leaveTimer === undefined && !this.rotationDue) {
      this.leaveTimer = this.clock.setTimeout(() => {
        this.leaveTimer = undefined;
        this.rotationDue = true;
        this.distribute();
      }, this.leaveRotationDelayMs);
    }
    this.distribute();
  }

  /**
   * A key from another device: used when the device is a current member, kept waiting (bounded) when
   * it is not one yet, else dropped with the reason.
   */
  receiveKey(from: MemberIdentity, index: number, key: Uint8Array, sentTs?: number): KeyReceipt {
    if (this.disposed) return { dropped: 'the call has ended' };
    if (from.userId === this.options.own.userId && from.deviceId === this.options.own.deviceId)
      return { dropped: 'the key claims to be from this device' };
    const entry: RemoteKey = {
      userId: from.userId,
      deviceId: from.deviceId,
      index,
      key,
      ...(from.memberId === undefined ? {} : { memberId: from.memberId }),
      ...(sentTs === undefined ? {} : { sentTs }),
    };
    if (!this.members.has(deviceKey(from))) {
      this.keepWaiting(entry);
      return { taken: 'waiting' };
    }
    return this.useRemoteKey(entry);
  }

  private useRemoteKey(entry: RemoteKey): KeyReceipt {
    const id = deviceKey(entry);
    let slots = this.remote.get(id);
    if (!slots) {
      if (this.remote.size >= KEY_RING_BOUNDS.keyedDevices)
        return { dropped: `keys are held for ${KEY_RING_BOUNDS.keyedDevices} devices already` };
      slots = new Map<number, RemoteKey>();
      this.remote.set(id, slots);
    }
    const held = slots.get(entry.index);
    if (held?.sentTs !== undefined && entry.sentTs !== undefined && entry.sentTs < held.sentTs)
      return { dropped: 'older than the key held for that index' };
    // Re-inserted, so the map's order is the order keys arrived in and the first is the oldest.
    slots.delete(entry.index);
    slots.set(entry.index, entry);
    if (slots.size > KEY_RING_BOUNDS.keysPerDevice) slots.delete(slots.keys().next().value!);
    this.sink?.setKey(this.identityOf(entry), entry.key, entry.index);
    return { taken: 'used' };
  }

  private keepWaiting(entry: RemoteKey): void {
    const id = deviceKey(entry);
    const keys = (this.waiting.get(id) ?? []).filter((k) => k.index !== entry.index);
    keys.push(entry);
    if (keys.length > KEY_RING_BOUNDS.waitingKeysPerDevice) keys.shift();
    this.waiting.delete(id);
    this.waiting.set(id, keys);
    const ofUser = [...this.waiting.keys()].filter((k) => this.waiting.get(k)![0]!.userId === entry.userId);
    if (ofUser.length > KEY_RING_BOUNDS.waitingDevicesPerUser) this.waiting.delete(ofUser[0]!);
    if (this.waiting.size > KEY_RING_BOUNDS.waitingDevices)
      this.waiting.delete(this.waiting.keys().next().value!);
  }

  /** A device asked for our key (famedly's request). Answered only for current members. */
  answerRequest(from: { readonly userId: string; readonly deviceId: string }): boolean {
    if (this.disposed) return false;
    const member = this.recipients().get(deviceKey(from));
    if (!member) return false;
    const own = this.own;
    if (!own) {
      this.distribute();
      return true;
    }
    void this.options.send(this.publicKey(own), [member]).then(
      () => own.sharedWith.set(deviceKey(member), member.membershipTs),
      (error: unknown) => this.options.onError?.(error),
    );
    return true;
  }

  /** Stops every timer; keys are forgotten. */
  dispose(): void {
    this.disposed = true;
    if (this.leaveTimer !== undefined) this.clock.clearTimeout(this.leaveTimer);
    for (const timer of this.useTimers) this.clock.clearTimeout(timer);
    this.useTimers.clear();
    this.remote.clear();
    this.waiting.clear();
    this.members.clear();
  }

  private publicKey(own: OwnKeyState): OutboundKey {
    return { index: own.index, key: own.key, createdAt: own.createdAt };
  }

  /** Recipients the own key was shared with who are gone (left, or no longer admitted). */
  private leftSinceShared(): string[] {
    if (!this.own) return [];
    const recipients = this.recipients();
    return [...this.own.sharedWith.entries()].filter(([id]) => !recipients.has(id)).map(([id]) => id);
  }

  private distribute(): void {
    if (this.disposed) return;
    if (this.distributing) {
      this.distributeAgain = true;
      return;
    }
    this.distributing = this.distributeOnce().finally(() => {
      this.distributing = undefined;
      if (this.distributeAgain) {
        this.distributeAgain = false;
        this.distribute();
      }
    });
  }

  private makeKey(): OwnKeyState {
    const index = this.own ? (this.own.index + 1) % 256 : 0;
    return {
      index,
      key: this.randomBytes(KEY_BYTES),
      createdAt: this.clock.now(),
      sharedWith: new Map(),
      inUse: false,
    };
  }

  private async distributeOnce(): Promise<void> {
    if (!this.own) {
      this.own = this.makeKey();
      this.useOwnKey(this.own);
    }
    const own = this.own;
    const recipients = this.recipients();
    // A re-created membership means that device lost our key: it is a newcomer, not a leaver.
    for (const [id, ts] of own.sharedWith) {
      const member = recipients.get(id);
      if (member && member.membershipTs !== ts) own.sharedWith.delete(id);
    }
    const anyLeft = [...own.sharedWith.keys()].some((id) => !recipients.has(id));
    const joined = [...recipients.values()].filter((m) => !own.sharedWith.has(deviceKey(m)));
    const stale = this.clock.now() - own.createdAt >= this.freshKeyWindowMs;
    if (!anyLeft) this.rotationDue = false;

    if ((anyLeft && this.rotationDue) || (joined.length > 0 && stale)) {
      await this.rotate();
    } else if (joined.length > 0) {
      await this.sendOwn(own, joined);
    }
  }

  private async rotate(): Promise<void> {
    this.rotationDue = false;
    if (this.leaveTimer !== undefined) {
      this.clock.clearTimeout(this.leaveTimer);
      this.leaveTimer = undefined;
    }
    this.own = this.makeKey();
    await this.sendOwn(this.own, [...this.recipients().values()]);
  }

  private async sendOwn(own: OwnKeyState, to: readonly KeyRingMember[]): Promise<void> {
    if (to.length > 0) {
      try {
        await this.options.send(this.publicKey(own), to);
      } catch (error) {
        this.options.onError?.(error);
        return;
      }
      for (const member of to) own.sharedWith.set(deviceKey(member), member.membershipTs);
    }
    if (!own.inUse && this.own === own) {
      const timer = this.clock.setTimeout(() => {
        this.useTimers.delete(timer);
        if (this.own === own && !this.disposed) this.useOwnKey(own);
      }, this.useKeyDelayMs);
      this.useTimers.add(timer);
    }
  }

  private useOwnKey(own: OwnKeyState): void {
    own.inUse = true;
    this.indexInUse = own.index;
    this.sink?.setKey(this.identityOf(this.options.own), own.key, own.index);
  }
}
