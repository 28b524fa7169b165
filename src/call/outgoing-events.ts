/**
 * The envelope of every event a call sends: call_id, party_id, version "1", and on a to-device leg
 * the leg's fields with a per-call seq counting from 0.
 *
 * Owns: the seq counter. Never: sends, or decides what to send.
 */
import type { CallEvent, ToDeviceLeg } from '../signalling/voip/types.js';

type Envelope = 'call_id' | 'party_id' | 'version' | 'leg';
export type CallEventBody = CallEvent extends infer E
  ? E extends CallEvent
    ? Omit<E, Envelope>
    : never
  : never;

export class OutgoingEvents {
  private seq = 0;

  constructor(
    private readonly callId: string,
    private readonly partyId: string,
    private readonly leg: Omit<ToDeviceLeg, 'seq'> | undefined,
  ) {}

  stamp(body: CallEventBody): CallEvent {
    const event = {
      ...body,
      call_id: this.callId,
      party_id: this.partyId,
      version: '1' as const,
      ...(this.leg ? { leg: { ...this.leg, seq: this.seq++ } } : {}),
    };
    return event as CallEvent;
  }
}
