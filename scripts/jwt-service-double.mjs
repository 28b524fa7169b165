// TEST DOUBLE of the MatrixRTC authorization service (element-hq/lk-jwt-service), for tests and the
// demo only. It is not a LiveKit JWT service: it verifies no OpenID token with any homeserver, talks to
// no LiveKit server, and its tokens open nothing. It answers on the dev server's own origin so a page can
// run the kit's token client end to end without a network.
//
// Koa-style middleware for @web/dev-server / web-test-runner (`middleware: [jwtServiceDouble()]`).
// Deployments, by path prefix:
//   /livekit/jwt/       a current service: POST get_token and sfu/get
//   /livekit/jwt-old/   a service from before get_token: get_token answers 404
//   /livekit/jwt-down/  a broken service: every request answers 500 M_UNKNOWN
//   GET /livekit/jwt-double/requests   the bodies received so far (newest last), for assertions
// Bodies are checked as lk-jwt-service checks them (requests.go): unknown fields -> 400 M_NOT_JSON,
// missing fields -> 400 M_BAD_JSON. An access_token starting with "bad" -> 401 M_UNAUTHORIZED.
// Identities: get_token -> unpadded base64 sha256 of JSON [user, device, member id]; sfu/get ->
// `${user}:${device}`. Rooms: unpadded base64 sha256 of JSON [room, slot] (slot m.call#ROOM for sfu/get).
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { hashOf, readBody } from './sfu/jwt-service.mjs';

const SECRET = 'jwt-service-double-not-a-secret';
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function signJwt(payload) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const signature = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (obj, allowed) => Object.keys(obj).every((k) => allowed.includes(k));
const TOKEN_KEYS = ['access_token', 'token_type', 'matrix_server_name', 'expires_in'];

function checkOpenId(token) {
  if (!isObject(token) || !onlyKeys(token, TOKEN_KEYS))
    return { status: 400, errcode: 'M_NOT_JSON', error: 'Error reading request' };
  if (!token.access_token || !token.matrix_server_name) {
    return {
      status: 400,
      errcode: 'M_BAD_JSON',
      error: 'The request body `openid_token` is missing a `access_token` or `matrix_server_name`',
    };
  }
  return undefined;
}

/** The user an OpenID token stands for: the double trusts a Matrix id inside the token, if any. */
function userOf(token, claimed) {
  const inside = /@[^\s|]+:[^\s|]+/.exec(String(token.access_token))?.[0];
  return inside ?? claimed ?? `@openid-user:${token.matrix_server_name}`;
}

function getToken(body) {
  const allowed = [
    'room_id',
    'slot_id',
    'openid_token',
    'member',
    'delay_id',
    'delay_timeout',
    'delay_cs_api_url',
  ];
  if (!isObject(body) || !onlyKeys(body, allowed))
    return { status: 400, errcode: 'M_NOT_JSON', error: 'Error reading request' };
  if (!body.room_id || !body.slot_id)
    return {
      status: 400,
      errcode: 'M_BAD_JSON',
      error: 'The request body is missing `room_id` or `slot_id`',
    };
  const member = body.member;
  if (!isObject(member) || !onlyKeys(member, ['id', 'claimed_user_id', 'claimed_device_id'])) {
    return { status: 400, errcode: 'M_NOT_JSON', error: 'Error reading request' };
  }
  if (!member.id || !member.claimed_user_id || !member.claimed_device_id) {
    return {
      status: 400,
      errcode: 'M_BAD_JSON',
      error: 'The request body `member` is missing a `id`, `claimed_user_id` or `claimed_device_id`',
    };
  }
  const tokenProblem = checkOpenId(body.openid_token);
  if (tokenProblem) return tokenProblem;
  if (String(body.openid_token.access_token).startsWith('bad')) {
    return { status: 401, errcode: 'M_UNAUTHORIZED', error: 'The request could not be authorised.' };
  }
  const user = userOf(body.openid_token, member.claimed_user_id);
  if (user !== member.claimed_user_id)
    return { status: 401, errcode: 'M_UNAUTHORIZED', error: 'The request could not be authorised.' };
  return {
    identity: hashOf([user, member.claimed_device_id, member.id]),
    room: hashOf([body.room_id, body.slot_id]),
  };
}

function sfuGet(body) {
  const allowed = ['room', 'openid_token', 'device_id', 'delay_id', 'delay_timeout', 'delay_cs_api_url'];
  if (!isObject(body) || !onlyKeys(body, allowed))
    return { status: 400, errcode: 'M_NOT_JSON', error: 'Error reading request' };
  if (!body.room) return { status: 400, errcode: 'M_BAD_JSON', error: 'Missing room parameter' };
  const tokenProblem = checkOpenId(body.openid_token);
  if (tokenProblem) return { ...tokenProblem, error: 'Missing OpenID token parameters' };
  if (String(body.openid_token.access_token).startsWith('bad')) {
    return { status: 401, errcode: 'M_UNAUTHORIZED', error: 'The request could not be authorised.' };
  }
  const user = userOf(body.openid_token, undefined);
  return { identity: `${user}:${body.device_id ?? ''}`, room: hashOf([body.room, 'm.call#ROOM']) };
}

/**
 * @param {{ livekitUrl?: string }} [options] livekitUrl: the ws:// URL to hand out; default
 *   ws://<the request's host>/livekit/sfu (nothing listens there: there is no LiveKit server).
 */
export function jwtServiceDouble(options = {}) {
  const received = [];
  return async function jwtServiceDoubleMiddleware(context, next) {
    const match = /^\/livekit\/(jwt|jwt-old|jwt-down|jwt-double)\/([a-z_/]+)$/.exec(context.path);
    if (!match) return next();
    const [, deployment, endpoint] = match;
    const answer = (status, body) => {
      context.status = status;
      context.set('Content-Type', 'application/json');
      context.set('Access-Control-Allow-Origin', '*');
      context.body = JSON.stringify(body);
    };
    if (deployment === 'jwt-double') {
      if (endpoint === 'requests' && context.method === 'GET') return answer(200, received);
      return answer(404, { errcode: 'M_NOT_FOUND', error: 'Not found' });
    }
    if (context.method === 'OPTIONS') return answer(200, {});
    const known = endpoint === 'get_token' || endpoint === 'sfu/get';
    if (!known || (deployment === 'jwt-old' && endpoint === 'get_token')) {
      received.push({ deployment, endpoint, body: null });
      return answer(404, { errcode: 'M_NOT_FOUND', error: '404 page not found' });
    }
    if (context.method !== 'POST') {
      context.status = 405;
      return undefined;
    }
    let body;
    try {
      body = JSON.parse(await readBody(context.req));
    } catch {
      return answer(400, { errcode: 'M_NOT_JSON', error: 'Error reading request' });
    }
    received.push({ deployment, endpoint, body });
    if (deployment === 'jwt-down')
      return answer(500, { errcode: 'M_UNKNOWN', error: 'Unable to create room on SFU' });
    const result = endpoint === 'get_token' ? getToken(body) : sfuGet(body);
    if (result.status) return answer(result.status, { errcode: result.errcode, error: result.error });
    const now = Math.floor(Date.now() / 1000);
    const jwt = signJwt({
      iss: 'jwt-service-double',
      sub: result.identity,
      nbf: now,
      exp: now + 3600,
      video: {
        room: result.room,
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        canUpdateOwnMetadata: true,
      },
    });
    return answer(200, { url: options.livekitUrl ?? `ws://${context.host}/livekit/sfu`, jwt });
  };
}

export const jwtServiceDoubleMiddleware = jwtServiceDouble();
