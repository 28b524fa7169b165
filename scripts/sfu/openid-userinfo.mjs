// TEST DOUBLE of a homeserver's federation OpenID endpoint, for the JWT service doubles of the SFU
// rig (scripts/sfu/jwt-service.mjs). The in-browser homeserver double (demo/host/homeserver.ts, through
// the SFU tests' transport) tells it about each OpenID token it issues; it answers
// GET /_matrix/federation/v1/openid/userinfo?access_token=… with {sub} for those, 401 M_UNKNOWN_TOKEN
// for any other. Its own HTTP server on 127.0.0.1, CORS `*`.
//
//   POST /_double/issued {access_token, user_id, matrix_server_name}   (what the homeserver double issued)
//
// Owns: the list of issued tokens. Never: issues tokens itself.
import { createServer } from 'node:http';

export async function startOpenIdUserinfo() {
  const issued = new Map();
  const server = createServer((req, res) => {
    const answer = (status, body) => {
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': 'Content-Type',
      });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url, 'http://x');
    if (req.method === 'OPTIONS') return answer(200, {});
    if (url.pathname === '/_matrix/federation/v1/openid/userinfo' && req.method === 'GET') {
      const user = issued.get(url.searchParams.get('access_token') ?? '');
      if (!user) return answer(401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Access token unknown or expired' });
      return answer(200, { sub: user });
    }
    if (url.pathname === '/_double/issued' && req.method === 'POST') {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        try {
          const { access_token: token, user_id: user } = JSON.parse(data);
          if (typeof token !== 'string' || typeof user !== 'string') throw new Error('bad');
          issued.set(token, user);
          if (issued.size > 10_000) issued.delete(issued.keys().next().value);
          answer(200, {});
        } catch {
          answer(400, { errcode: 'M_BAD_JSON', error: 'access_token and user_id are needed' });
        }
      });
      return undefined;
    }
    return answer(404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
