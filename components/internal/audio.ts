/**
 * Web Audio for the UI layer: one shared AudioContext that resumes on the first user gesture when the
 * browser's autoplay rules start it suspended, a speaking detector that reads a MediaStream's level
 * through an AnalyserNode, and a generated ringtone.
 *
 * Never: plays a call's media (the <audio> elements in <matrix-call> do) or touches RTCPeerConnection.
 */

const GESTURES = ['pointerdown', 'keydown', 'touchstart'] as const;

/** Calls `then` on the first user gesture anywhere in the page; returns a function that cancels it. */
export function onFirstGesture(then: () => void): () => void {
  const handler = () => {
    cancel();
    then();
  };
  const cancel = () => {
    for (const type of GESTURES) window.removeEventListener(type, handler, true);
  };
  for (const type of GESTURES) window.addEventListener(type, handler, true);
  return cancel;
}

/** Resumes `ctx` now if allowed, else on the first gesture. Returns a cancel function. */
export function resumeWhenAllowed(ctx: AudioContext): () => void {
  if (ctx.state === 'running') return () => {};
  void ctx.resume().catch(() => {});
  return onFirstGesture(() => void ctx.resume().catch(() => {}));
}

let shared: AudioContext | undefined;

/** One AudioContext for every level meter on the page (browsers cap how many may exist). */
export function sharedAudioContext(): AudioContext {
  if (!shared || shared.state === 'closed') {
    shared = new AudioContext();
    resumeWhenAllowed(shared);
  }
  return shared;
}

/**
 * Turns a stream of levels (RMS, 0..1) into speaking / silent with hysteresis: speaking starts above
 * `threshold` and ends after `holdMs` below `threshold * 0.6`. Pure: no Web Audio, testable alone.
 */
export class SpeakingHysteresis {
  speaking = false;
  private quietSince: number | undefined;
  constructor(
    readonly threshold = 0.015,
    readonly holdMs = 450,
  ) {}

  /** Feeds one level; returns true when `speaking` changed. */
  push(level: number, now: number): boolean {
    if (level >= this.threshold) {
      this.quietSince = undefined;
      if (!this.speaking) return (this.speaking = true);
      return false;
    }
    if (!this.speaking) return false;
    if (level >= this.threshold * 0.6) {
      this.quietSince = undefined;
      return false;
    }
    this.quietSince ??= now;
    if (now - this.quietSince >= this.holdMs) {
      this.speaking = false;
      this.quietSince = undefined;
      return true;
    }
    return false;
  }
}

/**
 * Reads the audio level of a MediaStream every `intervalMs` and reports speaking changes. Chromium
 * only delivers a remote WebRTC stream's samples to Web Audio while a media element plays it too.
 */
export class SpeakingDetector {
  level = 0;
  private source?: MediaStreamAudioSourceNode;
  private analyser?: AnalyserNode;
  private timer?: ReturnType<typeof setInterval>;
  private readonly hysteresis: SpeakingHysteresis;

  constructor(
    private readonly stream: MediaStream,
    private readonly onSpeakingChange: (speaking: boolean) => void,
    options: { threshold?: number; holdMs?: number; intervalMs?: number } = {},
  ) {
    this.hysteresis = new SpeakingHysteresis(options.threshold, options.holdMs);
    this.intervalMs = options.intervalMs ?? 100;
  }

  private readonly intervalMs: number;

  get speaking(): boolean {
    return this.hysteresis.speaking;
  }

  start(): boolean {
    if (this.timer || this.stream.getAudioTracks().length === 0) return false;
    const ctx = sharedAudioContext();
    this.source = ctx.createMediaStreamSource(this.stream);
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 512;
    this.source.connect(this.analyser);
    const samples = new Float32Array(this.analyser.fftSize);
    this.timer = setInterval(() => {
      this.analyser!.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      this.level = Math.sqrt(sum / samples.length);
      if (this.hysteresis.push(this.level, performance.now())) this.onSpeakingChange(this.hysteresis.speaking);
    }, this.intervalMs);
    return true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.source?.disconnect();
    this.analyser?.disconnect();
    this.source = undefined;
    this.analyser = undefined;
    if (this.hysteresis.speaking) {
      this.hysteresis.speaking = false;
      this.onSpeakingChange(false);
    }
  }
}

/**
 * A ringtone made with oscillators: a rising two-note chime every three seconds. Starts at once when
 * the browser allows audio, otherwise on the first user gesture; stop() silences it and frees the
 * AudioContext.
 */
export class Ringtone {
  private ctx?: AudioContext;
  private timer?: ReturnType<typeof setInterval>;
  private cancelGesture?: () => void;

  constructor(
    private readonly volume = 0.18,
    private readonly periodMs = 3000,
  ) {}

  /** True once sound is actually coming out (the context runs and the pattern is scheduled). */
  get playing(): boolean {
    return !!this.timer && this.ctx?.state === 'running';
  }

  /** True between start() and stop(), even while waiting for a gesture. */
  get started(): boolean {
    return !!this.ctx;
  }

  start(): void {
    if (this.ctx) return;
    const ctx = (this.ctx = new AudioContext());
    const begin = () => {
      if (this.ctx !== ctx || this.timer || ctx.state !== 'running') return;
      this.ring(ctx);
      this.timer = setInterval(() => this.ring(ctx), this.periodMs);
    };
    ctx.addEventListener('statechange', begin);
    this.cancelGesture = resumeWhenAllowed(ctx);
    begin();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cancelGesture?.();
    this.cancelGesture = undefined;
    const ctx = this.ctx;
    this.ctx = undefined;
    if (ctx && ctx.state !== 'closed') void ctx.close().catch(() => {});
  }

  private ring(ctx: AudioContext): void {
    const t0 = ctx.currentTime + 0.02;
    [659.25, 987.77, 659.25, 987.77].forEach((freq, i) => {
      const start = t0 + i * 0.22;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(this.volume, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.21);
    });
  }
}
