/**
 * Two PeerCalls in one page joined by a loopback signaller: every event one sends is delivered to
 * the other's handle() a task later (so offers can cross), as a ReceivedCallEvent from its user.
 * Real RTCPeerConnections and real (fake-device) media; no Matrix involved.
 *
 * Owns: the event log, candidate hold-back for ICE tests, and tidying up. Never: changes events.
 */
import { PeerCall } from '../../../src/call/peer-call.js';
import type { CallClock } from '../../../src/call/peer-call-contract.js';
import type { PeerCallTimings } from '../../../src/call/call-timings.js';
import type { CallEvent } from '../../../src/signalling/voip/types.js';
import type { CallKind, CallView } from '../../../src/snapshot.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { inboundBytes, waitFor } from '../../support/webrtc.js';

export const ALICE = '@alice:test.invalid';
export const BOB = '@bob:test.invalid';

export interface Sent {
  readonly from: 'alice' | 'bob';
  readonly event: CallEvent;
}

export interface PairOptions {
  readonly kind?: CallKind;
  readonly clock?: CallClock;
  readonly timings?: Partial<PeerCallTimings>;
  readonly callId?: string;
  /** Alice's and Bob's devices, when a test needs them to behave in a certain way. */
  readonly aliceMedia?: RecordingMediaSource;
  readonly bobMedia?: RecordingMediaSource;
}

export class CallPair {
  readonly log: Sent[] = [];
  readonly alice: PeerCall;
  readonly bob: PeerCall;
  readonly aliceMedia: RecordingMediaSource;
  readonly bobMedia: RecordingMediaSource;
  /** While true, candidates are kept back instead of delivered. */
  holdCandidates = false;
  /** While true, nothing at all is delivered to Bob (he is "offline"). */
  bobDeaf = false;
  /** While true, every event waits (in order) until resume(): lets offers cross on purpose. */
  paused = false;
  private readonly heldCandidates: (() => void)[] = [];
  private readonly pausedDeliveries: (() => void)[] = [];

  constructor(options: PairOptions = {}) {
    const callId = options.callId ?? `call-${Math.random().toString(36).slice(2)}`;
    const kind = options.kind ?? 'video';
    this.aliceMedia = options.aliceMedia ?? new RecordingMediaSource();
    this.bobMedia = options.bobMedia ?? new RecordingMediaSource();
    const common = { callId, kind, iceServers: [], ...(options.clock ? { clock: options.clock } : {}) };
    this.alice = new PeerCall(
      {
        ...common,
        partyId: 'ALICEDEVICE',
        self: { userId: ALICE, deviceId: 'ALICEDEVICE' },
        peer: { userId: BOB, displayName: 'Bob' },
        signaller: { send: async (event) => this.deliver('alice', event) },
        media: this.aliceMedia,
      },
      options.timings,
    );
    this.bob = new PeerCall(
      {
        ...common,
        partyId: 'BOBDEVICE',
        self: { userId: BOB, deviceId: 'BOBDEVICE' },
        peer: { userId: ALICE, displayName: 'Alice' },
        signaller: { send: async (event) => this.deliver('bob', event) },
        media: this.bobMedia,
      },
      options.timings,
    );
  }

  sent(from: 'alice' | 'bob', kind?: CallEvent['kind']): CallEvent[] {
    return this.log.filter((s) => s.from === from && (!kind || s.event.kind === kind)).map((s) => s.event);
  }

  releaseCandidates(): void {
    this.holdCandidates = false;
    for (const deliver of this.heldCandidates.splice(0)) deliver();
  }

  resume(): void {
    this.paused = false;
    for (const deliver of this.pausedDeliveries.splice(0)) deliver();
  }

  async connect(answerKind?: CallKind): Promise<void> {
    await this.alice.place();
    await waitFor(() => this.bob.view.state === 'ringing', 'Bob ringing');
    await this.bob.answer(answerKind);
    await waitFor(
      () => this.alice.view.state === 'connected' && this.bob.view.state === 'connected',
      'both connected',
    );
  }

  /** Waits until both connections have received more media bytes than they had. */
  async mediaFlowsBothWays(): Promise<void> {
    const a0 = await inboundBytes(this.alice.peerConnection!);
    const b0 = await inboundBytes(this.bob.peerConnection!);
    let a = a0;
    let b = b0;
    const deadline = Date.now() + 10000;
    while ((a <= a0 + 1000 || b <= b0 + 1000) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      a = await inboundBytes(this.alice.peerConnection!);
      b = await inboundBytes(this.bob.peerConnection!);
    }
    if (a <= a0 + 1000 || b <= b0 + 1000) {
      throw new Error(`media did not flow both ways: alice ${a0}→${a}, bob ${b0}→${b}`);
    }
  }

  dispose(): void {
    if (!this.alice.ended) this.alice.terminate('dismissed', 'local');
    if (!this.bob.ended) this.bob.terminate('dismissed', 'local');
  }

  private deliver(from: 'alice' | 'bob', event: CallEvent): void {
    this.log.push({ from, event });
    const to = from === 'alice' ? this.bob : this.alice;
    const sender = from === 'alice' ? ALICE : BOB;
    const handOver = () => to.handle({ event, sender, receivedAt: performance.now(), ageOnReceipt: 0 });
    if (from === 'alice' && this.bobDeaf) return;
    const arrive = () => {
      if (event.kind === 'candidates' && this.holdCandidates) this.heldCandidates.push(handOver);
      else handOver();
    };
    if (this.paused) this.pausedDeliveries.push(arrive);
    else setTimeout(arrive, 0);
  }
}

export function viewsOf(call: PeerCall): CallView[] {
  const views: CallView[] = [];
  call.addEventListener('change', () => views.push(call.view));
  return views;
}
