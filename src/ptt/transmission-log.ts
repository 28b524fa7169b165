/**
 * TransmissionLog: the recent transmissions of one room, each kept as the voice message it left there
 * (live ones and those read from the timeline at start), for the channel view's list and for playing one
 * again on request.
 *
 * Owns: the list, bounded (the newest `limit` by the server's time, each voice message once), and each
 * entry's loader. Never: parses raw JSON (it is given parsed voice messages), judges who may post (the
 * engine does before adding), or plays anything.
 */
import type { VoiceMessage } from '../signalling/ptt/voice-message-event.js';

export interface LoggedTransmission {
  /** The voice message's event id. */
  readonly eventId: string;
  /** The playback arbiter's key for the transmission (its claim's key, else the event id). */
  readonly key: string;
  readonly sender: string;
  /** Recorded on this very device (its user heard it as they spoke). */
  readonly ownDevice: boolean;
  readonly sentAt: number;
  readonly durationMs: number;
  readonly load: () => Promise<Blob>;
}

/** A duration beyond this is shown as this: a sender may write any number. */
export const MAX_SHOWN_DURATION_MS = 60 * 60 * 1000;
export const DEFAULT_LOG_LIMIT = 50;

export class TransmissionLog {
  private entries: LoggedTransmission[] = [];

  constructor(private readonly limit = DEFAULT_LOG_LIMIT) {}

  get all(): readonly LoggedTransmission[] {
    return this.entries;
  }

  find(eventId: string): LoggedTransmission | undefined {
    return this.entries.find((e) => e.eventId === eventId);
  }

  /** Adds one voice message; false when it is there already or older than everything a full list keeps. */
  add(entry: {
    eventId: string;
    key: string;
    sender: string;
    ownDevice: boolean;
    sentAt: number;
    message: VoiceMessage;
    load: () => Promise<Blob>;
  }): boolean {
    if (this.entries.some((e) => e.eventId === entry.eventId)) return false;
    const sentAt = Number.isFinite(entry.sentAt) ? entry.sentAt : 0;
    const logged: LoggedTransmission = Object.freeze({
      eventId: entry.eventId,
      key: entry.key,
      sender: entry.sender,
      ownDevice: entry.ownDevice,
      sentAt,
      durationMs: Math.min(MAX_SHOWN_DURATION_MS, Math.max(0, entry.message.durationMs)),
      load: entry.load,
    });
    let at = this.entries.length;
    while (at > 0 && this.entries[at - 1]!.sentAt > sentAt) at--;
    if (this.entries.length >= this.limit && at === 0) return false;
    this.entries = [...this.entries.slice(0, at), logged, ...this.entries.slice(at)];
    if (this.entries.length > this.limit) this.entries = this.entries.slice(this.entries.length - this.limit);
    return true;
  }

  clear(): void {
    this.entries = [];
  }
}
