/**
 * Behaviour of <call-tile>: shows one participant's stream (video, or avatar and name while video is
 * off), their microphone and camera state, a speaking ring driven by the stream's audio level, a
 * screen-share label and a connection-quality indicator given as a property.
 *
 * The tile reports its video's shape (`videoAspect`, and a `tile-aspect` event) so a layout can give it
 * a box of the same shape: no letterbox bands. A screen share never shows a microphone badge.
 *
 * Never: reads a controller or plays audio (the video element is always muted; <matrix-call> plays
 * the sound); never touches RTCPeerConnection.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { KitElement } from '../../internal/base-element.js';
import { SpeakingDetector } from '../../internal/audio.js';
import { TileAspectEvent } from '../../internal/events.js';
import { icon } from '../../internal/icons.js';
import { initials, msg, type MessageKey } from '../../internal/messages.js';

export type TileQuality = 'unknown' | 'good' | 'fair' | 'poor' | 'lost';

const QUALITY_BARS: Record<TileQuality, number> = { unknown: 0, good: 4, fair: 3, poor: 1, lost: 0 };

export class CallTileElement extends KitElement {
  /** The participant's stream. Property only. */
  @property({ attribute: false }) stream?: MediaStream;
  /** Display name (also the source of the initials). */
  @property() name = '';
  /** An http(s) avatar URL; initials are drawn without one. */
  @property({ attribute: 'avatar-url' }) avatarUrl?: string;
  /** This device's own stream: mirrored, labelled "(you)". */
  @property({ type: Boolean, reflect: true }) local = false;
  @property({ type: Boolean, reflect: true, attribute: 'audio-muted' }) audioMuted = false;
  @property({ type: Boolean, reflect: true, attribute: 'video-muted' }) videoMuted = false;
  /** The stream is a screen share: labelled so, never mirrored, shown whole (contain). */
  @property({ type: Boolean, reflect: true, attribute: 'screen-share' }) screenShare = false;
  /** Set by the level meter, or by the page when `no-speaking-detection` is set. */
  @property({ type: Boolean, reflect: true }) speaking = false;
  /** Leave `speaking` to the page (e.g. a group call's active-speaker data). */
  @property({ type: Boolean, attribute: 'no-speaking-detection' }) noSpeakingDetection = false;
  @property({ reflect: true }) quality: TileQuality = 'unknown';
  /** Shown large (the spotlight of a screen share). Styling only. */
  @property({ type: Boolean, reflect: true }) spotlight = false;

  /** The video's width / height once known (0 before the first frame). Read only. */
  @state() videoAspect = 0;
  @state() private hasVideo = false;
  @query('video') private video?: HTMLVideoElement;
  private detector?: SpeakingDetector;
  private detectedStream?: MediaStream;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopDetector();
    this.stream?.removeEventListener('addtrack', this.onTracksChanged);
    this.stream?.removeEventListener('removetrack', this.onTracksChanged);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.requestUpdate('stream', undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('stream')) {
      const previous = changed.get('stream');
      previous?.removeEventListener('addtrack', this.onTracksChanged);
      previous?.removeEventListener('removetrack', this.onTracksChanged);
      this.stream?.addEventListener('addtrack', this.onTracksChanged);
      this.stream?.addEventListener('removetrack', this.onTracksChanged);
    }
    this.hasVideo = !!this.stream?.getVideoTracks().some((t) => t.readyState === 'live');
  }

  protected override updated(): void {
    if (this.video && this.video.srcObject !== (this.stream ?? null)) {
      this.video.srcObject = this.stream ?? null;
      void this.video.play().catch(() => {});
    }
    this.syncDetector();
    this.setCustomStates({ speaking: this.speaking, muted: this.audioMuted, 'video-off': !this.showsVideo });
  }

  private get showsVideo(): boolean {
    return this.hasVideo && !this.videoMuted;
  }

  private readonly onTracksChanged = () => this.requestUpdate();

  private readonly onVideoResize = (event: Event) => {
    const video = event.target as HTMLVideoElement;
    if (!video.videoWidth || !video.videoHeight) return;
    const aspect = Math.round((video.videoWidth / video.videoHeight) * 1000) / 1000;
    if (aspect === this.videoAspect) return;
    this.videoAspect = aspect;
    this.style.setProperty('--_video-aspect', String(aspect));
    this.emit(new TileAspectEvent(aspect));
  };

  private syncDetector(): void {
    const wanted = !this.noSpeakingDetection && !this.audioMuted && !this.screenShare && this.isConnected;
    const stream = wanted ? this.stream : undefined;
    if (stream === this.detectedStream) return;
    this.stopDetector();
    if (!stream || stream.getAudioTracks().length === 0) return;
    this.detectedStream = stream;
    this.detector = new SpeakingDetector(stream, (speaking) => (this.speaking = speaking));
    this.detector.start();
  }

  private stopDetector(): void {
    this.detector?.stop();
    this.detector = undefined;
    this.detectedStream = undefined;
  }

  private get label(): string {
    const name = this.name || '?';
    if (this.screenShare) return msg('tile.screenShare', { name });
    return this.local ? msg('tile.you', { name }) : name;
  }

  protected override render() {
    const showVideo = this.showsVideo;
    return html`
      <div part="base" class="tile" role="group" aria-label=${this.label}>
        <video
          part="video"
          class=${this.local && !this.screenShare ? 'mirrored' : ''}
          ?hidden=${!showVideo}
          muted
          playsinline
          autoplay
          aria-hidden="true"
          @resize=${this.onVideoResize}
          @loadedmetadata=${this.onVideoResize}
        ></video>
        ${showVideo ? nothing : this.renderAvatar()}
        <div part="label" class="label">
          ${this.screenShare ? html`<span class="badge" part="screen-share-badge">${icon('screen')}</span>` : nothing}
          <span class="name">${this.label}</span>
          ${this.audioMuted && !this.screenShare
            ? html`<span class="indicator" part="mic-muted">${icon('micOff')}<span class="visually-hidden"
                  >${msg('tile.micMuted')}</span
                ></span>`
            : nothing}
          ${this.videoMuted && !this.screenShare
            ? html`<span class="indicator" part="camera-off">${icon('cameraOff')}<span class="visually-hidden"
                  >${msg('tile.cameraOff')}</span
                ></span>`
            : nothing}
          ${this.speaking ? html`<span class="visually-hidden">${msg('tile.speaking')}</span>` : nothing}
        </div>
        ${this.renderQuality()}
      </div>
    `;
  }

  private renderAvatar() {
    return html`<div part="avatar" class="avatar">
      ${this.avatarUrl
        ? html`<img part="avatar-image" src=${this.avatarUrl} alt="" />`
        : html`<span part="initials" class="initials" aria-hidden="true">${initials(this.name)}</span>`}
    </div>`;
  }

  private renderQuality() {
    if (this.local || this.quality === 'unknown') return nothing;
    const bars = QUALITY_BARS[this.quality];
    const text = msg(`quality.${this.quality}` as MessageKey);
    return html`<span part="quality" class="quality" data-level=${bars} role="img" aria-label=${text} title=${text}>
      ${[1, 2, 3, 4].map((n) => html`<i class=${n <= bars ? 'on' : ''} style="block-size:${n * 25}%"></i>`)}
    </span>`;
  }
}
