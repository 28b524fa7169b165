/**
 * A room for PeerCalls in one page: every event a call sends reaches every other call in the room
 * (the other party's devices and the sender's own other devices, as in a Matrix room), a task later
 * and in order. Deliveries can be paused and reordered to test events that arrive out of order.
 *
 * Owns: the event log and delivery order. Never: changes events.
 */
import { PeerCall } from '../../../src/call/peer-call.js';
import type { PeerCallOptions } from '../../../src/call/peer-call-contract.js';
import type { CallEvent } from '../../../src/signalling/voip/types.js';
import type { CallKind } from '../../../src/snapshot.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';

export interface Member {
  readonly userId: string;
  readonly deviceId: string;
  readonly call: PeerCall;
}

interface Delivery {
  readonly from: Member;
  readonly event: CallEvent;
}

export class RoomHub {
  readonly members: Member[] = [];
  readonly log: Delivery[] = [];
  paused = false;
  private queue: Delivery[] = [];

  join(
    userId: string,
    deviceId: string,
    peerUserId: string,
    callId: string,
    kind: CallKind = 'voice',
    extra: Partial<PeerCallOptions> = {},
  ): PeerCall {
    const media = new RecordingMediaSource();
    const member = { userId, deviceId } as { userId: string; deviceId: string; call: PeerCall };
    member.call = new PeerCall({
      callId,
      partyId: deviceId,
      self: { userId, deviceId },
      peer: { userId: peerUserId, displayName: peerUserId },
      kind,
      iceServers: [],
      media,
      signaller: { send: async (event) => this.send(member, event) },
      ...extra,
    });
    this.members.push(member);
    return member.call;
  }

  sentBy(call: PeerCall, kind?: CallEvent['kind']): CallEvent[] {
    return this.log
      .filter((d) => d.from.call === call && (!kind || d.event.kind === kind))
      .map((d) => d.event);
  }

  /** Delivers what waited, in the order `reorder` gives (default: as sent). */
  resume(reorder: (queued: Delivery[]) => Delivery[] = (q) => q): void {
    this.paused = false;
    const queued = reorder(this.queue.splice(0));
    for (const d of queued) this.deliverNow(d);
  }

  get queued(): readonly Delivery[] {
    return this.queue;
  }

  dispose(): void {
    for (const m of this.members) if (!m.call.ended) m.call.terminate('dismissed', 'local');
  }

  private send(from: Member, event: CallEvent): void {
    const delivery = { from, event };
    this.log.push(delivery);
    if (this.paused) this.queue.push(delivery);
    else setTimeout(() => this.deliverNow(delivery), 0);
  }

  private deliverNow({ from, event }: Delivery): void {
    for (const to of this.members) {
      if (to === from) continue;
      to.call.handle({ event, sender: from.userId, receivedAt: performance.now(), ageOnReceipt: 0 });
    }
  }
}
