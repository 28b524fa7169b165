/**
 * The 1:1 call's door to the room: m.call.* room events in (parsed, with their age) and out (built
 * and sent through the transport).
 *
 * Owns: the room signaller PeerCalls send through.
 * Never: reads or writes contents itself (signalling/voip's parser and builder do) or keeps call state.
 */
import type { CallSignaller } from '../call/peer-call-contract.js';
import { callEventContent, parseReceivedCallEvent, type Parsed } from '../signalling/voip/index.js';
import type { CallEvent, ReceivedCallEvent } from '../signalling/voip/types.js';
import type { MatrixTransport, RawRoomEvent } from '../transport/transport.js';

/** The parsed event with its envelope, or the parser's reason for rejecting it. */
export function receiveRoomCallEvent(raw: RawRoomEvent, receivedAt: number): Parsed<ReceivedCallEvent> {
  return parseReceivedCallEvent(raw, receivedAt);
}

export class RoomCallSignaller implements CallSignaller {
  constructor(private readonly transport: MatrixTransport) {}

  async send(event: CallEvent): Promise<void> {
    const { type, content } = callEventContent(event);
    await this.transport.sendRoomEvent(type, content);
  }
}
