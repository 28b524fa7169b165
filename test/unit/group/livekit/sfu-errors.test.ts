import { expect } from '@open-wc/testing';
import { NoLivekitFocusError } from '../../../../src/group/livekit/focus.js';
import { kitErrorOf, LiveKitCallError, toCallError } from '../../../../src/group/livekit/sfu-errors.js';
import { SfuConnectionError } from '../../../../src/group/livekit/sfu-room.js';
import { SfuTokenError } from '../../../../src/group/livekit/token-client.js';
import { KitMediaError } from '../../../../src/media/media-error.js';

describe('sfu-errors', () => {
  it('no focus: no-focus, the user message, and the admin hint as detail', () => {
    const error = toCallError(new NoLivekitFocusError(['memberships: none', 'configuration: none']));
    expect(error.code).to.equal('no-focus');
    expect(error.message).to.match(/^This call needs a media server \(LiveKit\)/);
    expect(error.detail).to.match(/Deploy a LiveKit SFU .* \(memberships: none; configuration: none\)$/);
  });

  it('token errors: OpenID refusals are capability-denied, the rest transport, with status in the detail', () => {
    const openid = toCallError(new SfuTokenError('openid', 'no token', { serviceUrl: 'https://s' }));
    expect(openid.code).to.equal('capability-denied');
    const refused = toCallError(
      new SfuTokenError('unauthorized', 'refused', {
        serviceUrl: 'https://s',
        status: 401,
        errcode: 'M_UNAUTHORIZED',
      }),
    );
    expect(refused).to.include({ code: 'transport', message: 'refused' });
    expect(refused.detail).to.equal('JWT service https://s: unauthorized 401 M_UNAUTHORIZED');
  });

  it('connection errors say who can fix what', () => {
    const refused = toCallError(new SfuConnectionError('refused', 'wss://sfu', 'not allowed', 401));
    expect(refused.code).to.equal('transport');
    expect(refused.message).to.match(/refused to let you in \(401\).*same API key and secret/);
    expect(toCallError(new SfuConnectionError('timeout', 'wss://sfu', 'slow')).message).to.match(
      /did not answer in time/,
    );
  });

  it('errors that already carry a code pass through; anything else becomes transport', () => {
    const media = new KitMediaError('no-device', 'No camera');
    expect(toCallError(media)).to.equal(media);
    const mine = new LiveKitCallError('transport', 'x');
    expect(toCallError(mine)).to.equal(mine);
    const other = toCallError(new Error('boom'));
    expect(other.code).to.equal('transport');
    expect(other.message).to.equal('Could not join the call: boom');
    expect(kitErrorOf(other)).to.deep.equal({
      code: 'transport',
      message: 'Could not join the call: boom',
      detail: 'boom',
    });
  });
});
