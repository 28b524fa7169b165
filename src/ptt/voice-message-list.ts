/**
 * The walkie-talkie's received voice messages: which ones are listed, and which play by themselves.
 * A voice message is listed when this device recorded it or its sender was seen opted in (with the
 * device it names); a new live one from someone else also plays by itself while this device is opted
 * in to receive. One read from the timeline at start is listed, never played by itself.
 *
 * Owns: the list (a TransmissionLog) and each entry's loader. Never: parses floor events, changes the
 * roster, or plays a message this device did not take in while opted in to receive.
 */
import { parseVoiceMessage } from '../signalling/ptt/voice-message-event.js';
import type { RawRoomEvent } from '../transport/transport.js';
import { claimKey } from './claim-order.js';
import type { DeviceRef } from './floor-control.js';
import type { OptInRoster } from './opt-in-roster.js';
import type { PlaybackArbiter } from './playback-queue.js';
import { voiceMessageLoader, type Download } from './received-voice.js';
import { TransmissionLog, type LoggedTransmission } from './transmission-log.js';

export interface VoiceMessageListOptions {
  readonly self: DeviceRef;
  readonly roomId: string;
  readonly roster: OptInRoster;
  readonly playback: PlaybackArbiter;
  readonly download: Download | undefined;
  readonly now: () => number;
  readonly reject: (type: string, sender: string, reason: string) => void;
}

export class VoiceMessageList {
  private readonly log = new TransmissionLog();

  constructor(private readonly options: VoiceMessageListOptions) {}

  get all(): readonly LoggedTransmission[] {
    return this.log.all;
  }

  find(eventId: string): LoggedTransmission | undefined {
    return this.log.find(eventId);
  }

  /** Takes one room message, live or read from the timeline (`fromHistory`); true when it was listed. */
  take(event: RawRoomEvent, fromHistory = false): boolean {
    const { self, roster, download } = this.options;
    const parsed = parseVoiceMessage(event);
    if (!parsed.ok) return false; // an ordinary message: not ours to judge
    const message = parsed.value;
    const link = message.transmission;
    const ownDevice = event.sender === self.userId && link?.deviceId === self.deviceId;
    const receiving = roster.canReceive(self, this.options.now());
    // Refusals of live messages are noted only while opted in: an ordinary room's voice messages are not ours.
    const note = (reason: string) => {
      if (!fromHistory && receiving) this.options.reject(event.type, event.sender, reason);
    };
    if (!ownDevice && !roster.hasOptedIn(event.sender, link?.deviceId)) {
      note('a voice message from a user never seen opted in does not play by itself');
      return false;
    }
    if (!download) {
      note('no way to download files: the voice message cannot be played');
      return false;
    }
    const key = link
      ? claimKey({ turn: link.turn, userId: event.sender, deviceId: link.deviceId })
      : event.event_id;
    const load = voiceMessageLoader(message, download);
    const listed = this.log.add({
      eventId: event.event_id,
      key,
      sender: event.sender,
      ownDevice,
      sentAt: event.origin_server_ts,
      message,
      load,
    });
    // Only a new live message plays by itself: one listed from the history was sent before this device came.
    if (listed && !fromHistory && !ownDevice && receiving) {
      this.options.playback.offerRecording({ roomId: this.options.roomId, key }, load);
    }
    return listed;
  }
}
