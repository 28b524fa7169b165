/**
 * PeerCall: one RTCPeerConnection and its m.call.* state machine (spec VoIP module, version "1"),
 * for a 1:1 call in a room or one leg of a mesh group call over to-device.
 *
 * Owns: the call's state (preparing → inviting/ringing → connecting → connected → ended), its local
 * media, the invite/answer/select_answer/reject/hangup exchange, mute, hold, screen share, DTMF, and
 * the frozen CallView it publishes with a `change` event after every transition. Candidate batching,
 * renegotiation, ICE restarts, remote streams, hold reading and view building live in the modules
 * beside it.
 * Never: parses raw JSON (it gets typed events), talks to Matrix other than through its signaller,
 * decides whether an incoming invite is still alive (the owner does, from unsigned.age), or resolves
 * glare between two calls (the owner does, and ends the loser with replaceInGlare()).
 *
 * Decisions written down here:
 * - An incoming call's kind is read from its offer (a video section means video), not from options.
 * - Hold sets every transceiver that sends to sendonly (others inactive), as matrix-js-sdk does, and
 *   switches local tracks off so the held party hears and sees nothing; the other side reads hold from
 *   our description (sdp-hold.ts).
 * - A voice call reports cameraMuted: true; unmuting the camera adds a video track to the same stream
 *   (same msid) and renegotiates: the voice-to-video upgrade.
 * - Local tracks are stopped when the call ends, except when it was replaced by glare: the owner then
 *   hands the same stream (localUserMedia) to the call that replaces it.
 * - Mesh legs may ask for the walkie-talkie's floor data channel and for a listen-only start (no media,
 *   one send-ready audio transceiver); live-audio-leg.ts does both. A 1:1 room call never gets either.
 */
import { isWireHangupReason } from '../hangup-reasons.js';
import { stopTracks } from '../media/track-mute.js';
import type {
  CallCandidate,
  CallCapabilities,
  CallEvent,
  CallInvite,
  ReceivedCallEvent,
  SdpStreamMetadata,
  SessionDescription,
  WireHangupReason,
} from '../signalling/voip/types.js';
import type {
  CallDirection,
  CallKind,
  CallState,
  CallView,
  ConnectionHealth,
  HangupReason,
} from '../snapshot.js';
import { buildCallView } from './call-view.js';
import { DEFAULT_PEER_CALL_TIMINGS, realCallClock, type PeerCallTimings } from './call-timings.js';
import { CandidateBatcher, END_OF_CANDIDATES } from './candidate-batcher.js';
import { firstCandidatesGathered, inDescription } from './first-candidates.js';
import { applyHoldDirections } from './hold-directions.js';
import { IceWatchdog } from './ice-watchdog.js';
import { LocalCallMedia } from './local-call-media.js';
import {
  addListenOnlyAudio,
  createFloorChannel,
  makeAudioSendable,
  remoteLiveAudio,
  replaceLiveAudio,
} from './live-audio-leg.js';
import { OutgoingEvents, type CallEventBody } from './outgoing-events.js';
import type { CallClock, PeerCallApi, PeerCallOptions } from './peer-call-contract.js';
import { setLocalDescriptionWithOpusDtx, withOpusDtx } from './opus-dtx.js';
import { PerfectNegotiation } from './perfect-negotiation.js';
import { addRemoteCandidate, RemoteCandidates } from './remote-candidates.js';
import { RemoteStreams } from './remote-streams.js';
import { holdsOtherSide } from './sdp-hold.js';

/**
 * What this side can do, announced in invites and answers (MSC2746): DTMF tones (matrix-js-sdk shows
 * its dial pad only to a peer that says so); no call transfer.
 */
const CALL_CAPABILITIES: CallCapabilities = Object.freeze({
  'm.call.transferee': false,
  'm.call.dtmf': true,
});

/** Local-only reasons (dismissed, replaced...) go on the wire as user_hangup. */
export function wireReason(reason: HangupReason): WireHangupReason {
  return isWireHangupReason(reason) ? reason : 'user_hangup';
}

function connectionHealth(state: RTCIceConnectionState): ConnectionHealth {
  return state === 'completed' ? 'connected' : state;
}

function offerHasVideo(sdp: string): boolean {
  return /^m=video [1-9]/m.test(sdp);
}

export class PeerCall extends EventTarget implements PeerCallApi {
  readonly callId: string;
  private readonly options: PeerCallOptions;
  private readonly timings: PeerCallTimings;
  private readonly clock: CallClock;
  private readonly out: OutgoingEvents;
  private readonly remote = new RemoteStreams(() => this.refresh());

  private pc: RTCPeerConnection | undefined;
  private negotiation: PerfectNegotiation | undefined;
  private batcher: CandidateBatcher | undefined;
  private watchdog: IceWatchdog | undefined;
  private readonly remoteCandidates = new RemoteCandidates();
  private remoteOfferApplied: Promise<void> | undefined;
  private remoteOfferSettled = false;
  /** Settles when the call ends. A closed connection leaves its pending operations unsettled for ever,
   * so setting up races them against this. */
  private markEnded: () => void = () => undefined;
  private readonly ending = new Promise<void>((resolve) => (this.markEnded = resolve));
  private receivedInvite: (ReceivedCallEvent & { readonly event: CallInvite }) | undefined;

  private state: CallState = 'preparing';
  private direction: CallDirection = 'outgoing';
  private kind: CallKind;
  private started = false;
  private answeredHere = false;
  private mediaConnected = false;
  private readonly local: LocalCallMedia;
  private remoteOnHold = false;
  private waiting = false;
  private connection: ConnectionHealth = 'new';
  private connectedAt: number | undefined;
  private endedAt: number | undefined;
  private hangupReason: HangupReason | undefined;
  private hangupParty: 'local' | 'remote' | undefined;
  private remotePartyId: string | undefined;
  /** The peer's party is fixed: by the invite (incoming) or the selected answer (outgoing). */
  private partySelected = false;
  private remoteVersion: '1' | 0 = '1';
  private inviteTimer: unknown;
  private iceRestarts = 0;
  private floor: RTCDataChannel | undefined;
  private currentView: CallView;

  constructor(options: PeerCallOptions, timings: Partial<PeerCallTimings> = {}) {
    super();
    this.options = options;
    this.callId = options.callId;
    this.timings = {
      ...DEFAULT_PEER_CALL_TIMINGS,
      ...(options.inviteLifetimeMs !== undefined ? { inviteLifetimeMs: options.inviteLifetimeMs } : {}),
      ...timings,
    };
    this.clock = options.clock ?? realCallClock;
    this.out = new OutgoingEvents(options.callId, options.partyId, options.leg);
    this.kind = options.kind;
    this.local = new LocalCallMedia(options.self, options.kind === 'voice');
    this.currentView = this.buildView();
  }

  // ---- surface ----------------------------------------------------------------------------------

  get view(): CallView {
    return this.currentView;
  }

  get peerPartyId(): string | undefined {
    return this.remotePartyId;
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /** The received invite of an incoming call; its lifetime and age let the owner judge liveness. */
  get invite(): (ReceivedCallEvent & { readonly event: CallInvite }) | undefined {
    return this.receivedInvite;
  }

  /** Milliseconds an incoming invite was valid for when sent; undefined for outgoing calls. */
  get inviteLifetime(): number | undefined {
    return this.receivedInvite?.event.lifetime;
  }

  /** The camera/microphone stream, for handing on to a call that replaces this one in glare. */
  get localUserMedia(): MediaStream | undefined {
    return this.local.userMedia;
  }

  /** The connection, for statistics and diagnostics. Callers must not change it. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.pc;
  }

  /** ICE restarts this call started (after failures, long disconnects or restartIce()). */
  get iceRestartCount(): number {
    return this.iceRestarts;
  }

  async place(): Promise<void> {
    if (this.started || this.direction !== 'outgoing' || this.ended) {
      throw new Error(`call ${this.callId} was already placed or answered`);
    }
    this.started = true;
    this.answeredHere = true;
    // Where the browser will not prompt, the invite goes out while the camera and microphone open
    // (their places on the connection are kept); otherwise it waits for them. The devices and the
    // offer start before the view changes: drawing the new view takes the page's thread for several
    // milliseconds, which the browser's own work can use meanwhile.
    const early = this.openUserMediaEarly();
    if (early instanceof Promise) this.refresh(); // the permission states are not known yet
    const opening = early instanceof Promise ? await early : early;
    const inviting = this.sendInvite(opening);
    this.refresh();
    await inviting;
    // Also where the invite never went: a device failure is the caller's to hear about.
    if (opening) await this.fillUserMedia(opening);
  }

  private async sendInvite(opening: Opening | undefined): Promise<void> {
    if (this.ended) return;
    let pc: RTCPeerConnection;
    if (this.options.listenOnly) {
      pc = this.connect();
      addListenOnlyAudio(pc);
    } else if (opening) {
      pc = this.connect();
      this.local.reserveUserMedia(pc, this.kind);
    } else {
      const stream = await this.acquireUserMedia(this.kind);
      if (!stream) return;
      pc = this.connect();
      this.local.sendUserMedia(pc, stream);
    }
    try {
      await this.unlessEnded(
        this.asksOpusDtx
          ? setLocalDescriptionWithOpusDtx(pc)
          : pc.createOffer().then((offer) => pc.setLocalDescription(offer)),
      );
    } catch (error) {
      if (this.ended) return;
      this.finish('unknown_error', 'local');
      throw error;
    }
    await this.unlessEnded(firstCandidatesGathered(pc, this.clock));
    const offer = pc.localDescription;
    if (this.ended || !offer) return;
    this.state = 'inviting';
    this.refresh();
    const sent = await this.trySend({
      kind: 'invite',
      offer: { type: 'offer', sdp: offer.sdp },
      lifetime: this.timings.inviteLifetimeMs,
      invitee: this.options.peer.userId,
      sdp_stream_metadata: this.localMetadata(),
      capabilities: CALL_CAPABILITIES,
    });
    if (!sent || this.ended) return;
    this.inviteTimer = this.clock.setTimeout(() => {
      this.inviteTimer = undefined;
      if (this.state === 'inviting') void this.hangup('invite_timeout');
    }, this.timings.inviteLifetimeMs);
    this.batcher?.open((c) => inDescription(offer.sdp, c.candidate));
  }

  async answer(kind?: CallKind): Promise<void> {
    if (this.direction !== 'incoming' || this.state !== 'ringing') return;
    this.answeredHere = true;
    this.waiting = false;
    this.clearInviteTimer();
    this.state = 'preparing';
    if (kind) {
      this.kind = kind;
      if (kind === 'voice') this.local.cameraMuted = true;
    }
    // Where the browser will not prompt, the answer goes out while the camera and microphone open
    // (their places on the connection are kept); otherwise the answer waits for them, so nobody hears
    // "connected" while this side still decides on a prompt. As in place(), the devices and the answer
    // start before the view changes.
    const early = this.openUserMediaEarly();
    if (early instanceof Promise) this.refresh(); // the permission states are not known yet
    const opening = early instanceof Promise ? await early : early;
    const answering = this.sendAnswer(opening);
    this.refresh();
    const sent = await answering;
    if (opening) await this.fillUserMedia(opening);
    // Changes made while answering (a camera turned on while it rang) follow the answer.
    if (sent && !this.ended) this.negotiation!.enable({ replay: true });
  }

  /** True once the answer is out. */
  private async sendAnswer(opening: Opening | undefined): Promise<boolean> {
    const stream = this.options.listenOnly || opening ? undefined : await this.acquireUserMedia(this.kind);
    if (!stream && !this.options.listenOnly && !opening) return false;
    // Not even a turn of the event loop when the offer is applied already: the answer starts at once.
    if (this.remoteOfferApplied && !this.remoteOfferSettled) await this.unlessEnded(this.remoteOfferApplied);
    const pc = this.pc;
    if (!pc || this.ended) {
      stopTracks(stream);
      return false;
    }
    if (stream) this.local.sendUserMedia(pc, stream);
    else if (opening) this.local.reserveUserMedia(pc, this.kind);
    else makeAudioSendable(pc);
    // The answer goes out as soon as it is made, while setLocalDescription applies it, so the caller's
    // setRemoteDescription runs alongside this side's. This side's candidates follow it: the caller's
    // are in the offer, and this side's checks reach the caller before its candidates do.
    let answer: string;
    let applied: Promise<unknown>;
    try {
      const made = await Promise.race([pc.createAnswer(), this.ending.then(() => undefined)]);
      if (!made || this.ended) return false;
      answer = this.asksOpusDtx ? withOpusDtx(made.sdp ?? '') : (made.sdp ?? '');
      applied = pc.setLocalDescription({ type: 'answer', sdp: answer }).then(
        () => undefined,
        (error: unknown) => error ?? new Error('setLocalDescription failed'),
      );
    } catch (error) {
      await this.fail('unknown_error', error);
      return false;
    }
    this.state = this.mediaConnected ? 'connected' : 'connecting';
    if (this.mediaConnected) this.connectedAt ??= this.clock.now();
    this.refresh();
    const [sent, failure] = await Promise.all([
      this.trySend({
        kind: 'answer',
        answer: { type: 'answer', sdp: answer },
        sdp_stream_metadata: this.localMetadata(),
        capabilities: CALL_CAPABILITIES,
      }),
      Promise.race([applied, this.ending]),
    ]);
    if (failure !== undefined) {
      await this.fail('unknown_error', failure);
      return false;
    }
    if (this.ended) return false;
    if (sent) this.batcher?.open();
    return sent;
  }

  async reject(): Promise<void> {
    if (this.direction !== 'incoming' || this.ended) return;
    if (this.state !== 'ringing' && this.state !== 'preparing') return;
    this.finish('rejected', 'local');
    // Version 0 callers know no m.call.reject: they get a hangup.
    await this.sendQuietly(
      this.remoteVersion === 0 ? { kind: 'hangup', reason: 'user_hangup' } : { kind: 'reject' },
    );
  }

  async hangup(reason: HangupReason = 'user_hangup'): Promise<void> {
    if (this.ended) return;
    if (this.direction === 'incoming' && this.state === 'ringing' && reason !== 'user_busy') {
      await this.reject();
      return;
    }
    this.finish(reason, 'local');
    await this.sendQuietly({ kind: 'hangup', reason: wireReason(reason) });
  }

  terminate(reason: HangupReason, party: 'local' | 'remote'): void {
    this.finish(reason, party);
  }

  /**
   * Ends this outgoing call because glare chose the other party's call. Local media is kept for the
   * call that replaces it. When the invite already went out, the other side is told with
   * m.call.hangup reason 'replaced' (as matrix-js-sdk does), or it would ring this dead call until
   * the invite lifetime ran out.
   */
  async replaceInGlare(): Promise<void> {
    if (this.ended) return;
    const inviteSent = this.direction === 'outgoing' && this.state === 'inviting';
    this.finish('replaced', 'local');
    if (inviteSent) await this.sendQuietly({ kind: 'hangup', reason: 'replaced' });
  }

  handle(received: ReceivedCallEvent): void {
    const event = received.event;
    if (this.ended || event.call_id !== this.callId) return;
    const fromSelf = received.sender === this.options.self.userId;
    if (fromSelf && event.party_id === this.options.partyId) return;
    // A to-device leg between two devices of one user: the peer is "my other device" by user id,
    // but it is the other end of this leg, not a device answering the same call.
    const fromLegPeer =
      this.options.leg !== undefined &&
      this.options.peer.deviceId !== undefined &&
      event.leg?.device_id === this.options.peer.deviceId;
    if (fromSelf && !fromLegPeer) {
      this.handleFromMyOtherDevice(event);
      return;
    }
    if (received.sender !== this.options.peer.userId) return;
    if (event.kind === 'invite') {
      void this.handleInvite(received as ReceivedCallEvent & { event: CallInvite });
      return;
    }
    // Once the parties are known (the callee took the invite, or the caller selected an answer), only
    // the selected party speaks for the call: its party id must match, both being absent only in a
    // version 0 call (whose party ids the parser drops). Before that, any device of the peer may
    // answer or reject, as the spec's VoIP module says (docs/security.md, "The selected party").
    if (this.partySelected && event.party_id !== this.remotePartyId) {
      // Candidates from callee devices not (yet) chosen are kept until an answer is selected.
      if (event.kind === 'candidates' && this.direction === 'outgoing' && this.state === 'inviting') {
        this.remoteCandidates.hold(event.party_id, event.candidates);
      }
      return;
    }
    switch (event.kind) {
      case 'answer':
        void this.handleAnswer(event.party_id, event.version, event.answer, event.sdp_stream_metadata);
        return;
      case 'candidates':
        this.handleCandidates(event.party_id, event.candidates);
        return;
      case 'select_answer':
        if (this.direction === 'incoming' && event.selected_party_id !== this.options.partyId) {
          this.finish('answered_elsewhere', 'remote');
        }
        return;
      case 'reject':
        void this.handleReject(event.party_id);
        return;
      case 'hangup': {
        const rejectedBeforeAnswer =
          this.direction === 'outgoing' && this.state === 'inviting' && event.reason === 'user_hangup';
        this.finish(rejectedBeforeAnswer ? 'rejected' : event.reason, 'remote');
        return;
      }
      case 'negotiate':
        if (event.sdp_stream_metadata) this.remote.setMetadata(event.sdp_stream_metadata, 'replace');
        void this.negotiation?.receive(event.description);
        return;
      case 'metadata_changed':
        this.remote.setMetadata(event.sdp_stream_metadata, 'merge');
        return;
    }
  }

  async setMicMuted(muted: boolean): Promise<void> {
    if (this.ended || this.local.micMuted === muted) return;
    this.local.micMuted = muted;
    this.local.applyTrackStates();
    this.refresh();
    await this.sendMetadataChanged();
  }

  async setCameraMuted(muted: boolean): Promise<void> {
    if (this.ended || this.local.cameraMuted === muted) return;
    if (!muted && !this.local.userMedia) {
      // Not started yet (placing, or ringing here): the call will start with the camera.
      this.kind = 'video';
    }
    if (!muted && this.local.userMedia && !this.local.hasCamera) {
      // Voice to video: a camera track joins the same stream, and negotiate carries the metadata.
      const added = await this.addCamera();
      if (!added || this.ended) return;
      this.local.cameraMuted = false;
      this.kind = 'video';
      this.local.applyTrackStates();
      this.refresh();
      return;
    }
    this.local.cameraMuted = muted;
    this.local.applyTrackStates();
    this.refresh();
    await this.sendMetadataChanged();
  }

  async setHold(onHold: boolean): Promise<void> {
    if (this.ended || !this.pc || this.local.onHold === onHold) return;
    this.local.onHold = onHold;
    applyHoldDirections(this.pc, onHold);
    this.local.applyTrackStates();
    this.refresh();
  }

  async setScreenSharing(sharing: boolean): Promise<void> {
    const pc = this.pc;
    if (this.ended || !pc || sharing === (this.local.screen !== undefined)) return;
    if (!sharing) {
      this.local.stopScreen(pc);
      this.refresh();
      return;
    }
    const screen = await this.options.media.getDisplayMedia();
    if (this.ended || this.local.screen) {
      stopTracks(screen);
      return;
    }
    // The browser's own "stop sharing" button ends the track.
    this.local.shareScreen(pc, screen, () => void this.setScreenSharing(false));
    this.refresh();
  }

  sendDtmf(tones: string): void {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (!sender?.dtmf || !sender.dtmf.canInsertDTMF) return;
    sender.dtmf.insertDTMF(tones);
  }

  setIceServers(servers: readonly RTCIceServer[]): void {
    if (!this.pc || this.pc.signalingState === 'closed') return;
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: [...servers] });
  }

  setWaiting(waiting: boolean): void {
    if (this.waiting === waiting) return;
    this.waiting = waiting;
    this.refresh();
  }

  /**
   * Whether this connection's local descriptions ask for Opus DTX: only mesh legs that carry the
   * walkie-talkie's floor channel (or join listen-only), never 1:1 room calls.
   */
  private get asksOpusDtx(): boolean {
    return this.floor !== undefined || !!this.options.floorChannel || !!this.options.listenOnly;
  }

  /** The walkie-talkie's floor data channel of this leg, once created. */
  get floorChannel(): RTCDataChannel | undefined {
    return this.floor;
  }

  /**
   * Creates the floor data channel on a leg that started without one (the connection renegotiates if it
   * had no data section yet; the other end creates its own with the same id).
   */
  openFloorChannel(): void {
    const pc = this.pc;
    if (this.floor || !pc || this.ended || pc.signalingState === 'closed') return;
    this.floor = createFloorChannel(pc);
    this.options.onFloorChannel?.(this.floor);
  }

  /**
   * Puts a track on the leg's first audio sender, or takes it off (null), with replaceTrack: no
   * renegotiation. Meant for listen-only legs, whose audio sender has no track of its own.
   */
  async setLiveAudioTrack(track: MediaStreamTrack | null): Promise<void> {
    const pc = this.pc;
    if (!pc || this.ended) return;
    await replaceLiveAudio(pc, track);
  }

  /** What the other end sends on the leg's first audio section (its voice). */
  get remoteAudioTrack(): MediaStreamTrack | undefined {
    return this.pc && !this.ended ? remoteLiveAudio(this.pc) : undefined;
  }

  /** Restarts ICE now (new credentials and candidates through m.call.negotiate). */
  restartIce(): void {
    const pc = this.pc;
    if (!pc || this.ended || pc.signalingState === 'closed') return;
    this.iceRestarts++;
    this.batcher?.hurryNext();
    pc.restartIce();
  }

  // ---- incoming events --------------------------------------------------------------------------

  private async handleInvite(received: ReceivedCallEvent & { event: CallInvite }): Promise<void> {
    if (this.started || this.receivedInvite) return;
    const invite = received.event;
    this.started = true;
    this.receivedInvite = received;
    this.direction = 'incoming';
    this.remotePartyId = invite.party_id;
    this.partySelected = true;
    this.remoteVersion = invite.version;
    this.kind = offerHasVideo(invite.offer.sdp) ? 'video' : 'voice';
    this.local.cameraMuted = this.kind === 'voice';
    if (invite.sdp_stream_metadata) this.remote.setMetadata(invite.sdp_stream_metadata, 'replace');
    this.state = 'ringing';
    const remaining = invite.lifetime - (received.ageOnReceipt ?? 0);
    this.inviteTimer = this.clock.setTimeout(
      () => {
        this.inviteTimer = undefined;
        if (this.state === 'ringing') this.finish('invite_timeout', 'remote');
      },
      Math.max(0, remaining),
    );
    const pc = this.connect();
    this.refresh();
    this.remoteOfferApplied = pc
      .setRemoteDescription(invite.offer)
      .then(() => this.afterRemoteDescription())
      .catch((error: unknown) => this.fail('unknown_error', error))
      .finally(() => (this.remoteOfferSettled = true));
    if (this.remoteOfferApplied) await this.unlessEnded(this.remoteOfferApplied);
  }

  private async handleAnswer(
    partyId: string | undefined,
    version: '1' | 0,
    answer: SessionDescription,
    metadata: SdpStreamMetadata | undefined,
  ): Promise<void> {
    const pc = this.pc;
    if (this.direction !== 'outgoing' || this.state !== 'inviting' || !pc) return;
    this.remotePartyId = partyId;
    this.partySelected = true;
    this.remoteVersion = version;
    this.clearInviteTimer();
    this.state = 'connecting';
    if (metadata) this.remote.setMetadata(metadata, 'replace');
    this.refresh();
    if (version !== 0) void this.sendQuietly({ kind: 'select_answer', selected_party_id: partyId ?? '' });
    this.negotiation!.enable({ replay: false });
    try {
      await pc.setRemoteDescription(answer);
    } catch (error) {
      await this.fail('unknown_error', error);
      return;
    }
    this.afterRemoteDescription();
  }

  private async handleReject(partyId: string | undefined): Promise<void> {
    if (this.direction !== 'outgoing' || this.state !== 'inviting') return;
    this.finish('rejected', 'remote');
    // The spec asks the caller to select the reject too, so the callee's other devices stop ringing.
    await this.sendQuietly({ kind: 'select_answer', selected_party_id: partyId ?? '' });
  }

  /** Another device of mine answered or rejected this incoming call: stop ringing here. */
  private handleFromMyOtherDevice(event: CallEvent): void {
    if (this.direction !== 'incoming' || this.state !== 'ringing') return;
    if (event.kind === 'answer') this.finish('answered_elsewhere', 'remote');
    else if (event.kind === 'reject') this.finish('rejected_elsewhere', 'remote');
  }

  private handleCandidates(partyId: string | undefined, candidates: readonly CallCandidate[]): void {
    const pc = this.pc;
    if (!pc || !pc.remoteDescription || (this.direction === 'outgoing' && this.state === 'inviting')) {
      this.remoteCandidates.hold(partyId, candidates);
      return;
    }
    for (const candidate of candidates) addRemoteCandidate(pc, candidate);
  }

  private afterRemoteDescription(): void {
    const pc = this.pc;
    if (!pc?.remoteDescription || this.ended) return;
    this.remoteOnHold = holdsOtherSide(pc.remoteDescription.sdp);
    this.remoteCandidates.release(pc, this.remotePartyId);
    this.refresh();
  }

  // ---- connection -------------------------------------------------------------------------------

  private connect(): RTCPeerConnection {
    // One transport for every track (max-bundle, RTCP muxed): one set of candidates to gather and
    // trickle, one ICE and DTLS handshake, so video starts with audio. matrix-js-sdk takes it both
    // ways (test/interop/).
    const pc = new RTCPeerConnection({
      iceServers: [...this.options.iceServers],
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
    });
    this.pc = pc;
    if (this.options.floorChannel) {
      this.floor = createFloorChannel(pc);
      this.options.onFloorChannel?.(this.floor);
    }
    this.batcher = new CandidateBatcher({
      clock: this.clock,
      firstBatchMs: this.timings.firstCandidateBatchMs,
      batchMs: this.timings.candidateBatchMs,
      send: (candidates) => this.send({ kind: 'candidates', candidates }),
      onGiveUp: (error) => void this.fail('signalling_failed', error),
    });
    this.watchdog = new IceWatchdog({
      clock: this.clock,
      disconnectedRestartMs: this.timings.iceDisconnectedRestartMs,
      giveUpMs: this.timings.iceGiveUpMs,
      restart: () => this.restartIce(),
      giveUp: () => void this.hangup('ice_failed'),
    });
    this.negotiation = new PerfectNegotiation(pc, this.direction === 'incoming', {
      sendDescription: (description) =>
        this.send({
          kind: 'negotiate',
          description,
          lifetime: this.timings.inviteLifetimeMs,
          sdp_stream_metadata: this.localMetadata(),
        }),
      afterRemoteDescription: () => this.afterRemoteDescription(),
      beforeAnswer: () => {
        if (this.local.onHold) applyHoldDirections(pc, true);
      },
      onError: () => {
        // A failed renegotiation leaves the call as it was; the next change tries again.
      },
      setLocalDescription: () =>
        this.asksOpusDtx ? setLocalDescriptionWithOpusDtx(pc) : pc.setLocalDescription(),
    });
    pc.addEventListener('icecandidate', (e) => {
      if (this.ended) return;
      const c = e.candidate;
      if (!c || c.candidate === '') {
        this.batcher?.push(END_OF_CANDIDATES);
        return;
      }
      this.batcher?.push({
        candidate: c.candidate,
        ...(c.sdpMid !== null ? { sdpMid: c.sdpMid } : {}),
        ...(c.sdpMLineIndex !== null ? { sdpMLineIndex: c.sdpMLineIndex } : {}),
        ...(c.usernameFragment !== null ? { usernameFragment: c.usernameFragment } : {}),
      });
    });
    pc.addEventListener('negotiationneeded', () => void this.negotiation?.negotiationNeeded());
    pc.addEventListener('iceconnectionstatechange', () => {
      if (this.ended) return;
      this.connection = connectionHealth(pc.iceConnectionState);
      this.watchdog?.onState(pc.iceConnectionState);
      this.refresh();
    });
    pc.addEventListener('connectionstatechange', () => {
      if (this.ended || pc.connectionState !== 'connected') return;
      this.mediaConnected = true;
      if (this.state === 'connecting') {
        this.state = 'connected';
        this.connectedAt ??= this.clock.now();
        this.refresh();
      }
    });
    pc.addEventListener('track', (e) => {
      if (this.ended) return;
      this.remote.addTrack(e);
    });
    return pc;
  }

  /**
   * Starts opening the camera and microphone now, when that shows no prompt (and the call sends
   * media): the invite or answer then goes out while they open, and `fillUserMedia` puts them in.
   * Undefined: the call opens them first, as usual. A failure is thrown by `fillUserMedia`. Answered at
   * once (no promise) when the media source knows the permission states already.
   */
  private openUserMediaEarly(): Opening | undefined | Promise<Opening | undefined> {
    if (this.options.listenOnly) return undefined;
    const known = this.options.media.grantedWithoutPromptNow?.(this.kind);
    if (known !== undefined) return known ? this.startUserMedia() : undefined;
    return (async () =>
      (await this.options.media.grantedWithoutPrompt?.(this.kind)) === true
        ? this.startUserMedia()
        : undefined)();
  }

  private startUserMedia(): Opening {
    const stream = this.acquireUserMedia(this.kind);
    stream.catch(() => undefined);
    return { stream };
  }

  /** `work`, or nothing once the call has ended (whichever is first). */
  private async unlessEnded(work: Promise<unknown>): Promise<void> {
    await Promise.race([work, this.ending]);
  }

  private async fillUserMedia(opening: Opening): Promise<void> {
    const granted = await opening.stream;
    const pc = this.pc;
    if (!granted) return;
    if (!pc || this.ended) {
      stopTracks(granted);
      return;
    }
    await this.local.fillUserMedia(pc, granted);
    this.refresh();
  }

  private async acquireUserMedia(kind: CallKind): Promise<MediaStream | undefined> {
    let stream: MediaStream;
    try {
      stream = await this.options.media.getUserMedia(kind);
    } catch (error) {
      if (!this.ended) {
        // The other side knows of the call once the invite is on its way, or this side answered.
        if (this.direction === 'incoming' || this.state === 'inviting') await this.hangupAfterMediaFailed();
        else this.finish('user_media_failed', 'local');
      }
      throw error;
    }
    if (this.ended) {
      stopTracks(stream);
      return undefined;
    }
    return stream;
  }

  private async hangupAfterMediaFailed(): Promise<void> {
    this.finish('user_media_failed', 'local');
    await this.sendQuietly({ kind: 'hangup', reason: 'user_media_failed' });
  }

  private async addCamera(): Promise<boolean> {
    const pc = this.pc;
    if (!pc) return false;
    const fresh = await this.options.media.getUserMedia('video');
    const video = fresh.getVideoTracks()[0];
    for (const track of fresh.getAudioTracks()) track.stop();
    if (!video || this.ended) {
      stopTracks(fresh);
      return false;
    }
    this.local.addCamera(pc, video);
    return true;
  }

  // ---- sending ----------------------------------------------------------------------------------

  private send(body: CallEventBody): Promise<void> {
    return this.options.signaller.send(this.out.stamp(body));
  }

  /** Sends; a failure ends the call with signalling_failed. Resolves whether it was sent. */
  private async trySend(body: CallEventBody): Promise<boolean> {
    try {
      await this.send(body);
      return true;
    } catch (error) {
      this.finish('signalling_failed', 'local');
      void error;
      return false;
    }
  }

  /** Sends after the call has ended or when nothing depends on delivery. */
  private async sendQuietly(body: CallEventBody): Promise<void> {
    try {
      await this.send(body);
    } catch {
      // Nothing to undo: the call has already moved on.
    }
  }

  private async sendMetadataChanged(): Promise<void> {
    if (this.state !== 'inviting' && this.state !== 'connecting' && this.state !== 'connected') return;
    if (this.direction === 'incoming' && !this.answeredHere) return;
    await this.sendQuietly({ kind: 'metadata_changed', sdp_stream_metadata: this.localMetadata() });
  }

  private localMetadata(): SdpStreamMetadata {
    return this.local.metadata();
  }

  // ---- ending and views -------------------------------------------------------------------------

  private async fail(reason: HangupReason, error: unknown): Promise<void> {
    void error;
    await this.hangup(reason);
  }

  private clearInviteTimer(): void {
    if (this.inviteTimer !== undefined) this.clock.clearTimeout(this.inviteTimer);
    this.inviteTimer = undefined;
  }

  private finish(reason: HangupReason, party: 'local' | 'remote'): void {
    if (this.ended) return;
    this.state = 'ended';
    this.markEnded();
    this.endedAt = this.clock.now();
    this.hangupReason = reason;
    this.hangupParty = party;
    this.clearInviteTimer();
    this.batcher?.stop();
    this.watchdog?.stop();
    if (this.pc && this.pc.signalingState !== 'closed') this.pc.close();
    this.connection = 'closed';
    this.local.stop(reason === 'replaced');
    this.refresh();
  }

  private buildView(): CallView {
    const ended = this.state === 'ended';
    const peer = this.options.peer;
    return buildCallView({
      id: this.callId,
      kind: this.kind === 'voice' && this.remote.hasLiveVideo() ? 'video' : this.kind,
      state: this.state,
      direction: this.direction,
      peer: {
        userId: peer.userId,
        displayName: peer.displayName,
        ...(peer.avatarUrl !== undefined ? { avatarUrl: peer.avatarUrl } : {}),
      },
      localStreams: ended ? [] : this.local.views(),
      remoteStreams: ended ? [] : this.remote.views(peer.userId, peer.deviceId),
      micMuted: this.local.micMuted,
      cameraMuted: this.local.cameraMuted,
      onHold: this.local.onHold,
      remoteOnHold: this.remoteOnHold,
      screenSharing: this.local.screen !== undefined,
      connection: this.connection,
      waiting: this.waiting,
      answeredHere: this.answeredHere,
      ...(this.connectedAt !== undefined ? { connectedAt: this.connectedAt } : {}),
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      ...(this.hangupReason !== undefined ? { hangupReason: this.hangupReason } : {}),
      ...(this.hangupParty !== undefined ? { hangupParty: this.hangupParty } : {}),
    });
  }

  private refresh(): void {
    this.currentView = this.buildView();
    this.dispatchEvent(new Event('change'));
  }
}

/** Camera and microphone being opened while the invite or answer goes out (`openUserMediaEarly`). */
interface Opening {
  readonly stream: Promise<MediaStream | undefined>;
}

export function createPeerCall(options: PeerCallOptions, timings?: Partial<PeerCallTimings>): PeerCall {
  return new PeerCall(options, timings);
}
