// Runs against scripts/jwt-service-double.mjs (a TEST DOUBLE of lk-jwt-service) on the test server's
// own origin; it must be in the runner's middleware.
import { expect } from '@open-wc/testing';
import {
  requestSfuAccess,
  SfuTokenError,
  type SfuTokenRequest,
} from '../../../../src/group/livekit/token-client.js';
import {
  hashedParticipantIdentity,
  legacyParticipantIdentity,
} from '../../../../src/group/livekit/participant-identity.js';
import type { OpenIdToken } from '../../../../src/transport/transport.js';

const ROOM = '!room:example.org';
const USER = '@alice:example.org';
const DEVICE = 'ALICEDEV';

function transport(accessToken = `tok|${USER}`, fail?: Error): SfuTokenRequest['transport'] {
  return {
    userId: USER,
    deviceId: DEVICE,
    roomId: ROOM,
    requestOpenIdToken: async (): Promise<OpenIdToken> => {
      if (fail) throw fail;
      return {
        access_token: accessToken,
        token_type: 'Bearer',
        matrix_server_name: 'example.org',
        expires_in: 3600,
      };
    },
  };
}
const focus = (path = 'jwt') => ({
  type: 'livekit' as const,
  serviceUrl: `${location.origin}/livekit/${path}`,
});

async function failure(request: SfuTokenRequest): Promise<SfuTokenError> {
  try {
    await requestSfuAccess(request);
  } catch (error) {
    expect(error).to.be.instanceOf(SfuTokenError);
    return error as SfuTokenError;
  }
  throw new Error('expected the request to fail');
}

async function received(): Promise<
  Array<{ deployment: string; endpoint: string; body: Record<string, unknown> }>
> {
  return (await fetch('/livekit/jwt-double/requests')).json();
}

describe('SFU token client against the JWT service test double', () => {
  it('gets a URL and JWT from /get_token, with the body lk-jwt-service expects', async () => {
    const access = await requestSfuAccess({ transport: transport(), focus: focus(), memberId: 'member-1' });
    expect(access.endpoint).to.equal('get_token');
    expect(access.url).to.match(/^ws:\/\//);
    expect(access.jwt.split('.')).to.have.length(3);
    expect(access.livekitIdentity).to.equal(
      await hashedParticipantIdentity({ userId: USER, deviceId: DEVICE, memberId: 'member-1' }),
    );
    const last = (await received()).at(-1)!;
    expect(last.endpoint).to.equal('get_token');
    expect(last.body).to.deep.equal({
      room_id: ROOM,
      slot_id: 'm.call#ROOM',
      openid_token: {
        access_token: `tok|${USER}`,
        token_type: 'Bearer',
        matrix_server_name: 'example.org',
        expires_in: 3600,
      },
      member: { id: 'member-1', claimed_user_id: USER, claimed_device_id: DEVICE },
    });
  });

  it('asks /sfu/get when told to, and is granted the `${user}:${device}` identity', async () => {
    const access = await requestSfuAccess({ transport: transport(), focus: focus(), endpoint: 'sfu_get' });
    expect(access.endpoint).to.equal('sfu_get');
    expect(access.livekitIdentity).to.equal(legacyParticipantIdentity({ userId: USER, deviceId: DEVICE }));
    const last = (await received()).at(-1)!;
    expect(Object.keys(last.body).sort()).to.deep.equal(['device_id', 'openid_token', 'room']);
    expect(last.body['room']).to.equal(ROOM);
  });

  it('the same room maps to the same LiveKit room through either endpoint', async () => {
    const a = await requestSfuAccess({ transport: transport(), focus: focus(), endpoint: 'get_token' });
    const b = await requestSfuAccess({ transport: transport(), focus: focus(), endpoint: 'sfu_get' });
    expect(a.livekitAlias).to.be.a('string');
    expect(a.livekitAlias).to.equal(b.livekitAlias);
  });

  it('falls back to /sfu/get when the service predates /get_token', async () => {
    const access = await requestSfuAccess({ transport: transport(), focus: focus('jwt-old') });
    expect(access.endpoint).to.equal('sfu_get');
    const tail = (await received()).slice(-2).map((r) => `${r.deployment} ${r.endpoint}`);
    expect(tail).to.deep.equal(['jwt-old get_token', 'jwt-old sfu/get']);
  });

  it('reports a refused OpenID token (401) in plain words, without falling back', async () => {
    const before = (await received()).length;
    const error = await failure({ transport: transport('bad-token'), focus: focus() });
    expect(error.kind).to.equal('unauthorized');
    expect(error.details.status).to.equal(401);
    expect(error.userMessage).to.match(/refused your sign-in \(401 M_UNAUTHORIZED\)/);
    expect(error.userMessage).to.match(/server admin/);
    expect((await received()).length - before).to.equal(1);
  });

  it('reports a failing service (500)', async () => {
    const error = await failure({ transport: transport(), focus: focus('jwt-down'), endpoint: 'sfu_get' });
    expect(error.kind).to.equal('server');
    expect(error.userMessage).to.match(/failed \(500 M_UNKNOWN\): Unable to create room on SFU/);
  });

  it('reports a rejected request (4xx) when /get_token is forced', async () => {
    const error = await failure({
      transport: transport(),
      focus: focus(),
      endpoint: 'get_token',
      slotId: '',
    });
    expect(error.kind).to.equal('rejected');
    expect(error.details).to.include({ status: 400, errcode: 'M_BAD_JSON' });
    expect(error.userMessage).to.match(/slot_id/);
  });

  it('reports an unreachable service', async () => {
    const error = await failure({
      transport: transport(),
      focus: { type: 'livekit', serviceUrl: 'http://127.0.0.1:1/livekit/jwt' },
      timeoutMs: 5000,
    });
    expect(error.kind).to.equal('unreachable');
    expect(error.userMessage).to.match(/Could not reach/);
  });

  it('reports a timeout as unreachable', async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, rejectFetch) =>
        init?.signal?.addEventListener('abort', () => rejectFetch(new DOMException('aborted', 'AbortError'))),
      );
    const error = await failure({ transport: transport(), focus: focus(), fetch: never, timeoutMs: 50 });
    expect(error.kind).to.equal('unreachable');
    expect(error.userMessage).to.match(/no answer within/);
  });

  it('reports a host that gives no OpenID token', async () => {
    const error = await failure({ transport: transport('x', new Error('denied by user')), focus: focus() });
    expect(error.kind).to.equal('openid');
    expect(error.userMessage).to.match(/OpenID token.*denied by user/);
  });

  it('reports an answer that is not a LiveKit token', async () => {
    const page: typeof fetch = async () => new Response('<html>hello</html>', { status: 200 });
    const error = await failure({ transport: transport(), focus: focus(), fetch: page, endpoint: 'sfu_get' });
    expect(error.kind).to.equal('bad-response');
  });
});
