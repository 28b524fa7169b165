/**
 * Whether the room is end-to-end encrypted, as its m.room.encryption state says: read at start and
 * followed (a room can turn encryption on, never off). In an encrypted room, call signalling that
 * arrives over to-device without the `encrypted` flag is refused (docs/security.md, "Unencrypted call
 * signalling"), the way media keys always are.
 *
 * Owns: that one fact. Unsure (the host refused the read, or it has not finished) counts as encrypted:
 * the kit itself always sends encrypted, so only senders that could not encrypt are refused.
 * Never: encrypts or decrypts anything, or drops events itself.
 */
import type { MatrixTransport, Need, RawRoomEvent, Unsubscribe } from '../transport/transport.js';

export const ROOM_ENCRYPTION_EVENT = 'm.room.encryption';

/** What following the room's encryption needs from the host. */
export const ROOM_ENCRYPTION_NEED: Need = {
  kind: 'receive-state',
  type: ROOM_ENCRYPTION_EVENT,
  stateKey: '',
};

function turnsEncryptionOn(event: RawRoomEvent): boolean {
  const content = event.content as { algorithm?: unknown } | null;
  return typeof content === 'object' && content !== null && typeof content.algorithm === 'string';
}

export class RoomEncryption {
  private known: boolean | undefined;
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly transport: Pick<MatrixTransport, 'roomId' | 'readState' | 'onRoomEvent'>,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** True when the room is encrypted, or when that is not known. */
  get encrypted(): boolean {
    return this.known ?? true;
  }

  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = this.transport.onRoomEvent((event) => {
      if (event.type !== ROOM_ENCRYPTION_EVENT || event.state_key !== '') return;
      if (event.room_id === this.transport.roomId && turnsEncryptionOn(event)) this.known = true;
    });
    try {
      const events = await this.transport.readState(ROOM_ENCRYPTION_EVENT, '');
      this.known = this.known === true || events.some(turnsEncryptionOn);
    } catch (error) {
      this.log(`could not read the room's encryption (${String(error)}): taking it as encrypted`);
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
