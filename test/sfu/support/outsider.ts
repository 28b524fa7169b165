/**
 * An outsider in the LiveKit room: a bare livekit-client Room with media E2EE on and the kit's
 * per-participant key provider, holding only the keys a test hands it. It signs in to the JWT service
 * double like anyone with a Matrix account may (the service checks who you are, not whether you are in
 * the Matrix room), so it stands for a participant of the SFU room who is not a member of the call.
 *
 * Owns: its Room and worker. Never: takes part in the Matrix side of the call.
 */
import { LogLevel, Room, RoomEvent, setLogLevel } from 'livekit-client';
import { MatrixKeyProvider } from '../../../src/group/livekit/livekit-key-provider.js';
import { liveKitRoomOptions } from '../../../src/group/livekit/livekit-room-adapter.js';

// The outsiders' decryption failures are the point of the tests; livekit-client need not log each one.
setLogLevel(LogLevel.error);

let count = 0;

export class Outsider {
  readonly deviceId = `OUTSIDER${++count}`;
  readonly keyProvider = new MatrixKeyProvider();
  readonly room: Room;
  readonly encryptionErrors: string[] = [];
  private readonly worker = new Worker(
    new URL('../../../src/group/livekit/e2ee-worker.js', import.meta.url),
    {
      type: 'module',
    },
  );

  constructor(readonly userId: string) {
    this.room = new Room(liveKitRoomOptions({ keyProvider: this.keyProvider, worker: this.worker }));
    this.room.on(RoomEvent.EncryptionError, (error: Error) => this.encryptionErrors.push(error.message));
  }

  /** Signs in to the service with an OpenID token the homeserver double issued, and connects. */
  async join(serviceUrl: string, userinfoUrl: string, matrixRoomId: string): Promise<void> {
    const token = {
      access_token: `outsider-${crypto.randomUUID()}`,
      token_type: 'Bearer',
      matrix_server_name: 'test.invalid',
      expires_in: 3600,
    };
    await fetch(`${userinfoUrl}/_double/issued`, {
      method: 'POST',
      body: JSON.stringify({ access_token: token.access_token, user_id: this.userId }),
    });
    const response = await fetch(`${serviceUrl}/sfu/get`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ room: matrixRoomId, openid_token: token, device_id: this.deviceId }),
    });
    if (!response.ok) throw new Error(`the service refused the outsider: ${response.status}`);
    const { url, jwt } = (await response.json()) as { url: string; jwt: string };
    await this.room.setE2EEEnabled(true);
    await this.room.connect(url, jwt, { autoSubscribe: true });
  }

  async leave(): Promise<void> {
    await this.room.disconnect();
    this.worker.terminate();
  }
}
