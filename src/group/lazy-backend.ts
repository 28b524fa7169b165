/**
 * A group call backend whose code is loaded when the call starts rather than with the page: the
 * factory returned here hands out a stand-in that loads the real factory (a dynamic import) on
 * start() or join(), then forwards everything to the backend it made.
 *
 * Owns: the stand-in, its idle view until the code has arrived, forwarding `change` events and the
 * loaded backend's `liveAudio` (null until then), and `loaded`, the backend it made.
 * Never: behaviour of its own beyond waiting for the code; a failed load rejects start() and join()
 * with the loader's error.
 */
import type { CallKind, GroupCallView, KitError } from '../snapshot.js';
import type {
  GroupCallBackend,
  GroupCallBackendContext,
  GroupCallBackendFactory,
  GroupJoinOptions,
} from './group-call-backend.js';
import type { BackendLiveAudio } from './live-audio.js';

export type ConcreteBackendName = Exclude<GroupCallView['backend'], 'auto'>;

class LazyGroupCallBackend extends EventTarget implements GroupCallBackend {
  private real: GroupCallBackend | undefined;
  private loading: Promise<GroupCallBackend> | undefined;
  private disposed = false;
  private readonly idle: GroupCallView;

  constructor(
    private readonly context: GroupCallBackendContext,
    private readonly load: () => Promise<GroupCallBackendFactory>,
    backend: ConcreteBackendName,
  ) {
    super();
    this.idle = Object.freeze({ state: 'idle' as const, backend, ongoing: false, participants: [] });
  }

  get view(): GroupCallView {
    return this.real?.view ?? this.idle;
  }

  get error(): KitError | undefined {
    return this.real?.error;
  }

  get membershipEventId(): string | undefined {
    return this.real?.membershipEventId;
  }

  /** The loaded backend's fast path for the walkie-talkie; null until its code has arrived (a `change` says when). */
  get liveAudio(): BackendLiveAudio | null {
    return this.real?.liveAudio ?? null;
  }

  /** The backend the loaded code made (for diagnostics and tests); undefined until it has arrived. */
  get loaded(): GroupCallBackend | undefined {
    return this.real;
  }

  async start(): Promise<void> {
    await (await this.loadReal()).start();
  }

  async join(kind: CallKind, options?: GroupJoinOptions): Promise<void> {
    await (await this.loadReal()).join(kind, options);
  }

  async leave(): Promise<void> {
    await this.real?.leave();
  }

  dispose(): void {
    this.disposed = true;
    this.real?.dispose();
  }

  async setMicMuted(muted: boolean): Promise<void> {
    await this.real?.setMicMuted(muted);
  }

  async setCameraMuted(muted: boolean): Promise<void> {
    await this.real?.setCameraMuted(muted);
  }

  async setScreenSharing(sharing: boolean): Promise<void> {
    await this.real?.setScreenSharing(sharing);
  }

  setParticipantVolume(userId: string, deviceId: string, volume: number): void {
    this.real?.setParticipantVolume(userId, deviceId, volume);
  }

  private loadReal(): Promise<GroupCallBackend> {
    this.loading ??= this.load().then(
      (factory) => {
        if (this.disposed) throw new Error('the group call was disposed');
        const real = factory(this.context);
        real.addEventListener('change', () => this.dispatchEvent(new Event('change')));
        this.real = real;
        this.dispatchEvent(new Event('change'));
        return real;
      },
      (error: unknown) => {
        // A failed download may succeed on the next try.
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }
}

/**
 * A factory whose backends load their code on first start or join, e.g.
 * `lazyBackendFactory(() => import('./livekit/index.js').then((m) => m.liveKitBackend(options)), 'livekit')`.
 */
export function lazyBackendFactory(
  load: () => Promise<GroupCallBackendFactory>,
  backend: ConcreteBackendName,
  preferredForNewCalls = false,
): GroupCallBackendFactory {
  let once: Promise<GroupCallBackendFactory> | undefined;
  const loadOnce = () =>
    (once ??= load().catch((error: unknown) => {
      once = undefined;
      throw error;
    }));
  const factory = (context: GroupCallBackendContext) => new LazyGroupCallBackend(context, loadOnce, backend);
  return Object.assign(factory, { preferredForNewCalls });
}
