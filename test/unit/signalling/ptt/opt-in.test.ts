import { expect } from '@open-wc/testing';
import {
  buildOptIn,
  buildOptOut,
  canReceive,
  canSend,
  optInStateKey,
  parseOptInEvent,
} from '../../../../src/signalling/ptt/opt-in.js';
import { PTT_OPT_IN } from '../../../../src/signalling/ptt/event-types.js';
import type { RawRoomEvent } from '../../../../src/transport/transport.js';

function state(content: unknown, stateKey: string, sender = '@al_ice:example.org'): RawRoomEvent {
  return {
    type: PTT_OPT_IN,
    state_key: stateKey,
    content,
    sender,
    event_id: '$e',
    room_id: '!r:x',
    origin_server_ts: 1,
  };
}

describe('walkie-talkie opt-in state', () => {
  const userId = '@al_ice:example.org';

  it('round-trips a time-limited opt-in and honours its expiry', () => {
    const out = buildOptIn({ userId, deviceId: 'DEV_1', receive: true, send: true, expiresTs: 5000 });
    expect(out.stateKey).to.equal('_@al_ice:example.org_DEV_1');
    const parsed = parseOptInEvent(state(out.content, out.stateKey));
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.value).to.deep.equal({
      userId,
      deviceId: 'DEV_1',
      receive: true,
      send: true,
      expiresTs: 5000,
    });
    expect(canReceive(parsed.value, 4999)).to.equal(true);
    expect(canSend(parsed.value, 4999)).to.equal(true);
    expect(canReceive(parsed.value, 5000)).to.equal(false);
    expect(canSend(parsed.value, 5000)).to.equal(false);
  });

  it('treats a permanent opt-in as valid forever and an empty content as an opt-out', () => {
    const on = buildOptIn({ userId, deviceId: 'D', receive: true, send: false });
    const parsedOn = parseOptInEvent(state(on.content, on.stateKey));
    expect(parsedOn.ok && canReceive(parsedOn.value, Number.MAX_SAFE_INTEGER)).to.equal(true);
    expect(parsedOn.ok && canSend(parsedOn.value, 0)).to.equal(false);
    const off = buildOptOut(userId, 'D');
    const parsedOff = parseOptInEvent(state(off.content, off.stateKey));
    expect(parsedOff).to.deep.equal({ ok: true, value: { userId, deviceId: 'D', optedOut: true } });
    expect(parsedOff.ok && canReceive(parsedOff.value, 0)).to.equal(false);
  });

  it('never lets a device send without receiving', () => {
    const parsed = parseOptInEvent(
      state({ device_id: 'D', receive: false, send: true }, optInStateKey(userId, 'D')),
    );
    expect(parsed.ok && canSend(parsed.value, 0)).to.equal(false);
    expect(buildOptIn({ userId, deviceId: 'D', receive: false, send: true }).content['send']).to.equal(false);
  });

  it("rejects someone else's state key, a mismatched device and bad fields", () => {
    const key = optInStateKey(userId, 'D');
    expect(parseOptInEvent(state({ device_id: 'D', receive: true }, key, '@bob:x')).ok).to.equal(false);
    expect(parseOptInEvent(state({ device_id: 'E', receive: true }, key)).ok).to.equal(false);
    expect(parseOptInEvent(state({ device_id: 'D', receive: 'yes' }, key)).ok).to.equal(false);
    expect(parseOptInEvent(state({ device_id: 'D', receive: true, expires_ts: 'soon' }, key)).ok).to.equal(
      false,
    );
    expect(parseOptInEvent(state({ device_id: 'D', receive: true }, `_${userId}_`)).ok).to.equal(false);
    expect(parseOptInEvent(state(null, key)).ok).to.equal(false);
  });
});
