/**
 * Renegotiation after the call is set up, with the W3C "perfect negotiation" pattern over
 * m.call.negotiate: either side may offer at any time; when offers cross, the polite side (the
 * callee) rolls its own back and answers, the impolite side (the caller) ignores the other's.
 *
 * Owns: the makingOffer / ignoreOffer / answer-pending flags and the order of description calls.
 * Never: builds events (sendDescription does), or handles the first invite/answer exchange.
 */
import type { SessionDescription } from '../signalling/voip/types.js';

export interface NegotiationHooks {
  /** Sends our offer or answer in an m.call.negotiate. */
  sendDescription(description: SessionDescription): Promise<void>;
  /** After a remote description was applied (hold, queued candidates, metadata). */
  afterRemoteDescription(description: SessionDescription): void;
  /** Just before we answer a remote offer (lets the call keep new transceivers on hold). */
  beforeAnswer(): void;
  onError(error: unknown, during: 'offer' | 'answer' | 'remote'): void;
  /** Sets the next local description (offer or answer); default `pc.setLocalDescription()`. */
  setLocalDescription?(): Promise<void>;
}

export class PerfectNegotiation {
  /** Off until the invite/answer exchange is done; a request made while off waits for `enable()`. */
  private enabled = false;
  private missedRequest = false;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswerPending = false;

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly polite: boolean,
    private readonly hooks: NegotiationHooks,
  ) {}

  /** True while a colliding remote offer is being ignored: errors from its candidates are expected. */
  get ignoringOffer(): boolean {
    return this.ignoreOffer;
  }

  /**
   * The invite/answer exchange is done. With `replay`, renegotiate now if the browser asked while this
   * was off (the answering side, whose own changes while answering the browser reports only once).
   */
  enable({ replay }: { replay: boolean }): void {
    if (this.enabled) return;
    this.enabled = true;
    if (replay && this.missedRequest) {
      this.missedRequest = false;
      void this.negotiationNeeded();
    }
  }

  async negotiationNeeded(): Promise<void> {
    if (this.pc.signalingState === 'closed') return;
    if (!this.enabled) {
      this.missedRequest = true;
      return;
    }
    try {
      this.makingOffer = true;
      await this.setLocalDescription();
      const local = this.pc.localDescription;
      if (local?.type !== 'offer') return;
      await this.hooks.sendDescription({ type: 'offer', sdp: local.sdp });
    } catch (error) {
      this.hooks.onError(error, 'offer');
    } finally {
      this.makingOffer = false;
    }
  }

  /** Applies a description from m.call.negotiate. Returns false when it was ignored (offer collision, impolite). */
  async receive(description: SessionDescription): Promise<boolean> {
    if (this.pc.signalingState === 'closed') return false;
    const readyForOffer =
      !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.ignoreOffer = !this.polite && offerCollision;
    if (this.ignoreOffer) return false;
    try {
      this.settingRemoteAnswerPending = description.type === 'answer';
      await this.pc.setRemoteDescription(description);
      this.settingRemoteAnswerPending = false;
      this.hooks.afterRemoteDescription(description);
      if (description.type === 'offer') {
        this.hooks.beforeAnswer();
        await this.setLocalDescription();
        const local = this.pc.localDescription;
        if (local?.type === 'answer') await this.hooks.sendDescription({ type: 'answer', sdp: local.sdp });
      }
      return true;
    } catch (error) {
      this.settingRemoteAnswerPending = false;
      this.hooks.onError(error, description.type === 'offer' ? 'answer' : 'remote');
      return false;
    }
  }

  private setLocalDescription(): Promise<void> {
    return this.hooks.setLocalDescription ? this.hooks.setLocalDescription() : this.pc.setLocalDescription();
  }
}
