/**
 * IncomingLegs: the mesh call's received leg events. Each goes to its leg by device and call_id (and only
 * from the session the leg was addressed to); events of a call this device does not have yet join a held
 * invite, and a new invite is held while joining, or put to MeshPlanner: held until its sender's
 * membership arrives, ignored, or accepted (replacing a leg that lost), which the call then answers.
 *
 * Owns: that routing and acting on the planner's invite decision. Never: decides which invites to take
 * (MeshPlanner does), times held invites (PendingInvites does), or makes or answers a leg itself.
 */
import type { GroupCallState } from '../../snapshot.js';
import type { Leg } from './mesh-leg.js';
import { legKey, type MeshPeer } from './mesh-peer.js';
import type { MeshPlanner } from './mesh-planner.js';
import type { ReceivedLegEvent } from './mesh-signalling.js';
import type { PendingInvites } from './pending-invites.js';

export interface IncomingLegsOptions {
  readonly state: () => GroupCallState;
  /** This device's session while joining or joined. */
  readonly ownSessionId: () => string | undefined;
  /** The call's legs by key (a replaced leg is taken out here). */
  readonly legs: Map<string, Leg>;
  readonly planner: MeshPlanner;
  readonly pending: PendingInvites;
  /** Makes, files and answers the leg of an accepted invite; `events`: the invite, then later ones. */
  readonly accept: (member: MeshPeer, own: string, events: readonly ReceivedLegEvent[]) => void;
  readonly log: (message: string) => void;
}

export class IncomingLegs {
  constructor(private readonly options: IncomingLegsOptions) {}

  receive(received: ReceivedLegEvent): void {
    const { state, legs, pending, log } = this.options;
    if (state() !== 'joined' && state() !== 'joining') return;
    const { event, sender } = received;
    const key = legKey({ userId: sender, deviceId: event.leg.device_id });
    const leg = legs.get(key);
    if (leg && leg.call.callId === event.call_id) {
      if (event.leg.sender_session_id === leg.peer.sessionId) leg.call.handle(received);
      return;
    }
    if (pending.addToHeld(key, received)) return;
    if (event.kind !== 'invite') {
      log(`ignored ${event.kind} for unknown call ${event.call_id} from ${key}`);
      return;
    }
    if (state() === 'joining') {
      pending.hold(key, [received]);
      return;
    }
    this.consider([received]);
  }

  /** Held invites whose sender's membership is here now are considered again. */
  reconsider(): void {
    if (this.options.state() !== 'joined') return;
    this.options.pending.release(this.options.planner.members(), (events) => this.consider(events));
  }

  /** `events`: an invite (CallInvite), then later events of its call. */
  private consider(events: readonly ReceivedLegEvent[]): void {
    const { legs, pending, planner, log } = this.options;
    const received = events[0];
    if (!received || received.event.kind !== 'invite') return;
    const leg = received.event.leg;
    const key = legKey({ userId: received.sender, deviceId: leg.device_id });
    const own = this.options.ownSessionId();
    if (own === undefined) return;
    const decision = planner.invite(key, leg.sender_session_id, legs);
    if (decision.kind === 'hold') {
      // Membership state may still be on its way: keep the invite for a while.
      pending.hold(key, [...events]);
      return;
    }
    if (decision.kind === 'ignore') {
      log(`ignored an invite from ${key}: ${decision.why}`);
      return;
    }
    const existing = decision.replaces !== undefined ? legs.get(decision.replaces) : undefined;
    if (existing) {
      existing.closing = 'replaced';
      legs.delete(key);
      existing.call.terminate('replaced', 'remote');
    }
    pending.drop(key);
    this.options.accept(decision.member, own, events);
  }
}
