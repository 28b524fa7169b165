// TEST DOUBLE of the MatrixRTC authorization service (element-hq/lk-jwt-service), written from its
// documented API, for the tests against a real LiveKit server (scripts/sfu/rig.mjs). Its own HTTP
// server on 127.0.0.1. It mints real LiveKit JWTs with livekit-server-sdk and creates rooms through
// LiveKit's RoomService, so a LiveKit server accepts what it hands out.
//
//   POST /sfu/get    {room, openid_token, device_id}                 -> {url, jwt}
//   POST /get_token  {room_id, slot_id, openid_token,
//                     member: {id, claimed_user_id, claimed_device_id}} -> {url, jwt}
//   unknown JSON fields -> 400 M_NOT_JSON; missing ones -> 400 M_BAD_JSON; an OpenID token that the
//   homeserver does not know, or that names another user -> 401 M_UNAUTHORIZED; CORS `*`.
//   LiveKit room: unpadded base64 of sha256(JSON [room_id, slot_id]) (`/sfu/get`: slot m.call#ROOM).
//   Identity: `user:device` for /sfu/get; unpadded base64 sha256(JSON [user, device, member.id]) for
//   /get_token. Grants: roomJoin, canPublish, canSubscribe, for one hour.
//   The room is created through RoomService only for users of a full-access homeserver (the rest may
//   join rooms that exist already), as the real service's LIVEKIT_FULL_ACCESS_HOMESERVERS does.
//
// Checking the OpenID token: the real service asks the token's homeserver
// (GET /_matrix/federation/v1/openid/userinfo). The double asks the same endpoint, on the homeserver
// double's userinfo server (openid-userinfo.mjs), which answers only for tokens that the homeserver
// double really issued.
//
// Double-only additions, under /_double/: GET requests (the bodies received, newest last), and
// POST fail {status} (every later request answers that status, for fault tests; {status: 0} clears it).
//
// Owns: request checking, identities, room names, minting and room creation. Never: talks to anything
// but loopback, or remembers a token beyond one request.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';

const unpaddedB64 = (buf) => Buffer.from(buf).toString('base64').replace(/=+$/, '');
export const hashOf = (strings) => unpaddedB64(createHash('sha256').update(JSON.stringify(strings)).digest());
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (obj, allowed) => Object.keys(obj).every((k) => allowed.includes(k));
const nonEmpty = (v) => typeof v === 'string' && v.length > 0;

const TOKEN_KEYS = ['access_token', 'token_type', 'matrix_server_name', 'expires_in'];
const DELAY_KEYS = ['delay_id', 'delay_timeout', 'delay_cs_api_url'];

class Refusal {
  constructor(status, errcode, error) {
    Object.assign(this, { status, errcode, error });
  }
}
const notJson = () => new Refusal(400, 'M_NOT_JSON', 'Error reading request');
const badJson = (error) => new Refusal(400, 'M_BAD_JSON', error);
const unauthorized = () => new Refusal(401, 'M_UNAUTHORIZED', 'The request could not be authorised.');

function checkOpenIdShape(token) {
  if (!isObject(token) || !onlyKeys(token, TOKEN_KEYS)) return notJson();
  if (!nonEmpty(token.access_token) || !nonEmpty(token.matrix_server_name)) {
    return badJson('The request body `openid_token` is missing a `access_token` or `matrix_server_name`');
  }
  return undefined;
}

/** Reads a /sfu/get body into {room, token, deviceId}, or a Refusal. */
export function readSfuGet(body) {
  if (!isObject(body) || !onlyKeys(body, ['room', 'openid_token', 'device_id', ...DELAY_KEYS]))
    return notJson();
  if (!nonEmpty(body.room)) return badJson('Missing room parameter');
  if (!nonEmpty(body.device_id)) return badJson('Missing device_id parameter');
  const problem = checkOpenIdShape(body.openid_token);
  if (problem) return problem;
  return { roomId: body.room, slotId: 'm.call#ROOM', token: body.openid_token, deviceId: body.device_id };
}

/** Reads a /get_token body, or a Refusal. */
export function readGetToken(body) {
  if (!isObject(body) || !onlyKeys(body, ['room_id', 'slot_id', 'openid_token', 'member', ...DELAY_KEYS]))
    return notJson();
  if (!nonEmpty(body.room_id) || !nonEmpty(body.slot_id))
    return badJson('The request body is missing `room_id` or `slot_id`');
  const member = body.member;
  if (!isObject(member) || !onlyKeys(member, ['id', 'claimed_user_id', 'claimed_device_id']))
    return notJson();
  if (!nonEmpty(member.id) || !nonEmpty(member.claimed_user_id) || !nonEmpty(member.claimed_device_id)) {
    return badJson('The request body `member` is missing a `id`, `claimed_user_id` or `claimed_device_id`');
  }
  const problem = checkOpenIdShape(body.openid_token);
  if (problem) return problem;
  return {
    roomId: body.room_id,
    slotId: body.slot_id,
    token: body.openid_token,
    deviceId: member.claimed_device_id,
    claimedUser: member.claimed_user_id,
    memberId: member.id,
  };
}

/** The request body as text, refusing more than 64 KiB. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 65536) {
        reject(new Error('body too large'));
        req.destroy();
      }
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/**
 * Starts a service for one LiveKit deployment.
 * @param {object} options
 * @param {{url: string, httpUrl: string, apiKey: string, apiSecret: string}} options.livekit
 * @param {(serverName: string) => string} options.userinfoBase base URL of a homeserver's federation API
 * @param {readonly string[]} [options.fullAccessHomeservers] server names, or ['*'] (default)
 * @returns {Promise<{url: string, requests: object[], close(): Promise<void>}>}
 */
export async function startJwtService({
  livekit,
  userinfoBase,
  fullAccessHomeservers = ['*'],
  name = 'jwt',
}) {
  const requests = [];
  const roomService = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
  let failWith = 0;

  async function userOf(token) {
    let response;
    try {
      const base = userinfoBase(token.matrix_server_name);
      if (!base) return undefined;
      response = await fetch(
        `${base}/_matrix/federation/v1/openid/userinfo?access_token=${encodeURIComponent(token.access_token)}`,
      );
    } catch {
      return undefined;
    }
    if (!response.ok) return undefined;
    const info = await response.json().catch(() => undefined);
    return nonEmpty(info?.sub) ? info.sub : undefined;
  }

  async function grant(read) {
    const user = await userOf(read.token);
    if (!user) return unauthorized();
    if (read.claimedUser !== undefined && read.claimedUser !== user) return unauthorized();
    const serverName = user.slice(user.indexOf(':') + 1);
    const room = hashOf([read.roomId, read.slotId]);
    const identity =
      read.memberId === undefined ? `${user}:${read.deviceId}` : hashOf([user, read.deviceId, read.memberId]);
    if (fullAccessHomeservers.includes('*') || fullAccessHomeservers.includes(serverName)) {
      try {
        await roomService.createRoom({ name: room, emptyTimeout: 300, departureTimeout: 20 });
      } catch (error) {
        return new Refusal(500, 'M_UNKNOWN', `Unable to create room on SFU: ${error?.message ?? error}`);
      }
    }
    const token = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity, ttl: '1h' });
    token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true });
    return { url: livekit.url, jwt: await token.toJwt() };
  }

  const server = createServer(async (req, res) => {
    const answer = (status, body) => {
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
      });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'OPTIONS') return answer(200, {});
    if (path === '/_double/requests' && req.method === 'GET') return answer(200, requests);
    if (path === '/_double/fail' && req.method === 'POST') {
      const body = JSON.parse((await readBody(req)) || '{}');
      failWith = Number(body.status) || 0;
      return answer(200, { failWith });
    }
    const endpoint = path === '/sfu/get' ? 'sfu/get' : path === '/get_token' ? 'get_token' : undefined;
    if (!endpoint) return answer(404, { errcode: 'M_NOT_FOUND', error: '404 page not found' });
    if (req.method !== 'POST') return answer(405, { errcode: 'M_UNRECOGNIZED', error: 'Method not allowed' });
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return answer(400, { errcode: 'M_NOT_JSON', error: 'Error reading request' });
    }
    requests.push({ endpoint, body });
    if (requests.length > 500) requests.shift();
    if (failWith)
      return answer(failWith, { errcode: 'M_UNKNOWN', error: 'Failing on request (test double)' });
    const read = endpoint === 'sfu/get' ? readSfuGet(body) : readGetToken(body);
    const result = read instanceof Refusal ? read : await grant(read);
    if (result instanceof Refusal)
      return answer(result.status, { errcode: result.errcode, error: result.error });
    return answer(200, result);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
