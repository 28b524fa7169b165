// The JWT service TEST DOUBLE of the SFU rig (scripts/sfu/jwt-service.mjs) answers as lk-jwt-service's
// documented API says: {url, jwt} with the room and identity hashes, 400 M_NOT_JSON for unknown
// fields, 400 M_BAD_JSON for missing ones, 401 M_UNAUTHORIZED for a token the homeserver double did not
// issue or that names another user, CORS `*`; and the LiveKit server accepts what it mints.
import { expect } from '@open-wc/testing';
import { Room } from 'livekit-client';
import { rigUp, type RigLayout } from './support/rig.js';

const ROOM_ID = '!jwt:test.invalid';

async function unpaddedSha256(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(value)));
  return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/=+$/, '');
}

function payloadOf(jwt: string): { sub: string; video: { room: string; roomJoin: boolean } } {
  const part = jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '='))) as never;
}

describe('JWT service double of the SFU rig (lk-jwt-service API)', function () {
  this.timeout(60_000);
  let rig: RigLayout;
  let service: string;
  before(async () => {
    rig = await rigUp('single');
    service = rig.deployments[0]!.serviceUrl;
  });

  async function issued(userId: string) {
    const token = {
      access_token: `t-${crypto.randomUUID()}`,
      token_type: 'Bearer',
      matrix_server_name: 'test.invalid',
      expires_in: 3600,
    };
    await fetch(`${rig.userinfoUrl}/_double/issued`, {
      method: 'POST',
      body: JSON.stringify({ access_token: token.access_token, user_id: userId }),
    });
    return token;
  }
  const post = (path: string, body: unknown) =>
    fetch(`${service}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('/sfu/get: identity user:device, room hash of [room, m.call#ROOM], CORS *; the server accepts the token', async () => {
    const token = await issued('@alice:test.invalid');
    const response = await post('/sfu/get', { room: ROOM_ID, openid_token: token, device_id: 'DEV' });
    expect(response.status).to.equal(200);
    // The page reads the answer of another origin: the service allowed it (CORS).
    expect(new URL(service).origin).to.not.equal(location.origin);
    const { url, jwt } = (await response.json()) as { url: string; jwt: string };
    expect(url).to.equal(rig.deployments[0]!.livekitUrl);
    const payload = payloadOf(jwt);
    expect(payload.sub).to.equal('@alice:test.invalid:DEV');
    expect(payload.video.room).to.equal(await unpaddedSha256([ROOM_ID, 'm.call#ROOM']));
    const room = new Room();
    await room.connect(url, jwt);
    expect(room.name).to.equal(payload.video.room);
    await room.disconnect();
  });

  it('/get_token: identity hash of [user, device, member id], room hash of [room, slot]', async () => {
    const token = await issued('@bob:test.invalid');
    const member = { id: 'm1', claimed_user_id: '@bob:test.invalid', claimed_device_id: 'BOBDEV' };
    const response = await post('/get_token', {
      room_id: ROOM_ID,
      slot_id: 'm.call#ROOM',
      openid_token: token,
      member,
    });
    expect(response.status).to.equal(200);
    const payload = payloadOf(((await response.json()) as { jwt: string }).jwt);
    expect(payload.sub).to.equal(await unpaddedSha256(['@bob:test.invalid', 'BOBDEV', 'm1']));
    expect(payload.video.room).to.equal(await unpaddedSha256([ROOM_ID, 'm.call#ROOM']));
  });

  it('refuses: unknown field 400 M_NOT_JSON, missing field 400 M_BAD_JSON, unknown or foreign token 401', async () => {
    const token = await issued('@carol:test.invalid');
    const errcodeOf = async (r: Response) => [r.status, ((await r.json()) as { errcode: string }).errcode];
    expect(
      await errcodeOf(
        await post('/sfu/get', { room: ROOM_ID, openid_token: token, device_id: 'D', extra: 1 }),
      ),
    ).to.deep.equal([400, 'M_NOT_JSON']);
    expect(await errcodeOf(await post('/sfu/get', { openid_token: token, device_id: 'D' }))).to.deep.equal([
      400,
      'M_BAD_JSON',
    ]);
    const unknown = { ...token, access_token: 'never-issued' };
    expect(
      await errcodeOf(await post('/sfu/get', { room: ROOM_ID, openid_token: unknown, device_id: 'D' })),
    ).to.deep.equal([401, 'M_UNAUTHORIZED']);
    const member = { id: 'm', claimed_user_id: '@mallory:test.invalid', claimed_device_id: 'D' };
    expect(
      await errcodeOf(
        await post('/get_token', { room_id: ROOM_ID, slot_id: 'm.call#ROOM', openid_token: token, member }),
      ),
      "Carol's token claiming to be Mallory",
    ).to.deep.equal([401, 'M_UNAUTHORIZED']);
  });
});
