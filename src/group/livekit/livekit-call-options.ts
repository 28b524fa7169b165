/**
 * What a LiveKitGroupCall is made with (LiveKitGroupCallOptions) and joined with (LiveKitJoinOptions), and
 * ChosenFocusBackend, the membership backend it writes: the LiveKit focus filled in at join time.
 *
 * Owns: those shapes. Never: behaviour beyond reading the chosen focus back to the membership manager.
 */
import type { CallClock, LocalMediaSource } from '../../call/peer-call-contract.js';
import type { PersonView } from '../../snapshot.js';
import type { MatrixTransport } from '../../transport/transport.js';
import type { GroupJoinOptions } from '../group-call-backend.js';
import type { MembershipManager, MembershipManagerOptions } from '../membership-manager.js';
import type { FocusOwner, FocusSelection, LivekitFocus } from './focus.js';
import type { SfuRoomLoader } from './sfu-room.js';

export interface LiveKitGroupCallOptions {
  readonly transport: MatrixTransport;
  readonly media: LocalMediaSource;
  /**
   * LiveKit foci to use when the call has none yet: `{ type: 'livekit', livekit_service_url }`
   * objects or bare JWT service URLs (e.g. 'https://matrix-rtc.example.com/livekit/jwt').
   */
  readonly foci?: readonly unknown[];
  /**
   * The host's RTC transports (MSC4143 / MSC4515). Default: the transport's `getRtcTransports` (the
   * widget transport asks the host), when it has one.
   */
  readonly hostTransports?: () => Promise<readonly unknown[]>;
  /** The homeserver's well-known foci (`org.matrix.msc4143.rtc_foci`), when the page can read them. */
  readonly wellKnown?: () => Promise<readonly unknown[]>;
  /**
   * Asks the user whether a focus that another member named (not on the trusted list: host transports,
   * configuration, well-known) may have their OpenID token. Default: no (docs/security.md).
   */
  readonly approveFocus?: (focus: LivekitFocus, namedBy: FocusOwner) => Promise<boolean>;
  /** Media end-to-end encryption: 'room' (default) follows the room's encryption; or forced on/off. */
  readonly e2ee?: boolean | 'room';
  /** A membership manager to use; else one is made from membershipOptions (backend: the chosen focus). */
  readonly membership?: MembershipManager;
  readonly membershipOptions?: Omit<MembershipManagerOptions, 'transport' | 'backend'>;
  /** Makes the LiveKit room. Default: livekit-client, loaded on first join. */
  readonly loadRoom?: SfuRoomLoader;
  /** For the JWT service requests. */
  readonly fetch?: typeof fetch;
  readonly tokenTimeoutMs?: number;
  /** Key ring timings (Element Call's by default). */
  readonly keyTimings?: {
    readonly leaveRotationDelayMs?: number;
    readonly useKeyDelayMs?: number;
    readonly freshKeyWindowMs?: number;
  };
  readonly clock?: CallClock;
  readonly describe?: (userId: string) => PersonView;
  readonly log?: (message: string) => void;
}

/**
 * The backend the membership manager writes: a LiveKit focus filled in at join time (the manager
 * reads it on every write, so the membership always names the focus this device uses).
 */
export class ChosenFocusBackend {
  readonly type = 'livekit' as const;
  focus: LivekitFocus | undefined;
  selection: FocusSelection | undefined;
  constructor(private readonly roomId: string) {}
  get focusSelection(): FocusSelection | undefined {
    return this.selection;
  }
  get serviceUrl(): string | undefined {
    return this.focus?.serviceUrl;
  }
  get alias(): string | undefined {
    return this.focus ? (this.focus.alias ?? this.roomId) : undefined;
  }
}

/**
 * How to join. `listenOnly` is the walkie-talkie's join: audio only, no camera or microphone opened and
 * nothing published; the view says `listenOnly`. Its voice is published by liveAudio.setLiveAudio while it talks.
 */
export type LiveKitJoinOptions = GroupJoinOptions;
