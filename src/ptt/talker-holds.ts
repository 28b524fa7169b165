/**
 * TalkerHolds: how long each user has held the walkie-talkie floor without a break, on this device's clock
 * (docs/msc4002-walkie-talkie-protocol.md, "Maximum transmit time").
 *
 * Owns: one hold per user, from when a claim of theirs became the talker to when none of theirs is. A claim
 * of the same user that becomes the talker less than the rest time after their last one ended (a new turn,
 * another of their devices) continues the hold, so fresh claims never restart the clock.
 * Never: decides who talks, sends anything, or keeps a clock of its own (callers pass `now`).
 */

export interface HeldBy {
  /** Names the talker's claim (claimKey). */
  readonly key: string;
  readonly userId: string;
}

interface Hold {
  readonly start: number;
  /** When the user stopped being the talker; undefined while they are. */
  end?: number;
}

export class TalkerHolds {
  private talker?: HeldBy;
  private readonly holds = new Map<string, Hold>();

  constructor(private readonly restMs: number) {}

  /** Tells who the talker is now (or nobody); call after anything that may change it. */
  note(talker: HeldBy | undefined, now: number): void {
    if (talker?.key === this.talker?.key) return;
    const before = this.talker && this.holds.get(this.talker.userId);
    if (before) before.end = now;
    this.talker = talker;
    this.forgetRested(now);
    if (!talker) return;
    const hold = this.continuing(talker.userId, now);
    if (hold) hold.end = undefined;
    else this.holds.set(talker.userId, { start: now });
  }

  /** When the user's hold began: the current one, or the one a claim of theirs made now would continue. */
  startOf(userId: string, now: number): number | undefined {
    return this.continuing(userId, now)?.start;
  }

  private continuing(userId: string, now: number): Hold | undefined {
    const hold = this.holds.get(userId);
    if (!hold) return undefined;
    return hold.end === undefined || now - hold.end < this.restMs ? hold : undefined;
  }

  /** Holds that ended a rest time ago are over for good. */
  private forgetRested(now: number): void {
    for (const [userId, hold] of this.holds) {
      if (hold.end !== undefined && now - hold.end >= this.restMs) this.holds.delete(userId);
    }
  }
}
