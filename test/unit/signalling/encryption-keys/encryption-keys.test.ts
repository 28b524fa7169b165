import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  buildElementKeys,
  buildFamedlyKeyRequest,
  buildFamedlyKeys,
  ELEMENT_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS_README,
  FAMEDLY_ENCRYPTION_KEYS_REQUEST,
  FAMEDLY_ENCRYPTION_KEYS_REQUEST_README,
  parseElementKeys,
  parseFamedlyKeyRequest,
  parseFamedlyKeys,
  parseKeyToDeviceEvent,
  type KeysMessage,
} from '../../../../src/signalling/encryption-keys/index.js';
import type { RawToDeviceEvent } from '../../../../src/transport/transport.js';

const ROOM = '!call:example.org';
const ALICE = '@alice:example.org';
const key16 = Uint8Array.from({ length: 16 }, (_, i) => i * 7 + 1);
const key32 = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Exactly what matrix-js-sdk's ToDeviceKeyTransport.sendKey writes (HEAD of matrix-js-sdk). */
const elementContent = () => ({
  keys: { index: 3, key: b64(key16) },
  room_id: ROOM,
  member: { claimed_device_id: 'ALICEDEV', id: 'member-uuid' },
  session: { call_id: '', application: 'm.call', scope: 'm.room' },
  sent_ts: 1_760_000_000_000,
});

/** What famedly's LiveKitBackend._sendEncryptionKeysEvent writes. */
const famedlyContent = () => ({
  keys: [
    { index: 0, key: b64(key32) },
    { index: 1, key: b64(key16) },
  ],
  call_id: ROOM,
  conf_id: ROOM,
  device_id: 'FAMDEV',
  room_id: ROOM,
});

function toDevice(type: string, content: unknown, encrypted = true): RawToDeviceEvent {
  return { type, sender: ALICE, content, encrypted };
}

describe('io.element.call.encryption_keys', () => {
  it('parses the content matrix-js-sdk sends', () => {
    const parsed = parseElementKeys(ALICE, elementContent());
    expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
    if (!parsed.ok) return;
    const m = parsed.value;
    expect(m).to.include({ kind: 'keys', format: 'element', userId: ALICE, deviceId: 'ALICEDEV' });
    expect(m.memberId).to.equal('member-uuid');
    expect(m.roomId).to.equal(ROOM);
    expect(m.session).to.deep.equal({ application: 'm.call', callId: '', scope: 'm.room' });
    expect(m.sentTs).to.equal(1_760_000_000_000);
    expect(m.keys).to.have.length(1);
    expect(m.keys[0]!.index).to.equal(3);
    expect(Array.from(m.keys[0]!.key)).to.deep.equal(Array.from(key16));
  });

  it('falls back to `${user}:${device}` as member id when a sender gives none, as matrix-js-sdk does', () => {
    const content = elementContent();
    const { member } = content;
    const parsed = parseElementKeys(ALICE, {
      ...content,
      member: { claimed_device_id: member.claimed_device_id },
    });
    expect(parsed.ok && parsed.value.memberId).to.equal(`${ALICE}:ALICEDEV`);
  });

  it('reads a content without session as the room call', () => {
    const content: Record<string, unknown> = elementContent();
    delete content['session'];
    const parsed = parseElementKeys(ALICE, content);
    expect(parsed.ok && parsed.value.session.callId).to.equal('');
  });

  it('round-trips through the builder', () => {
    const content = buildElementKeys({
      key: { index: 255, key: key16 },
      roomId: ROOM,
      deviceId: 'KITDEV',
      memberId: `${ALICE}:KITDEV`,
      sentTs: 42,
    });
    expect(content).to.deep.equal({
      keys: { index: 255, key: b64(key16) },
      member: { id: `${ALICE}:KITDEV`, claimed_device_id: 'KITDEV' },
      room_id: ROOM,
      session: { application: 'm.call', call_id: '', scope: 'm.room' },
      sent_ts: 42,
    });
    const parsed = parseElementKeys(ALICE, JSON.parse(JSON.stringify(content)));
    expect(parsed.ok && parsed.value.keys[0]!.index).to.equal(255);
  });

  const bad: Array<[string, (c: ReturnType<typeof elementContent>) => unknown, RegExp]> = [
    ['not an object', () => 'nope', /content must be an object/],
    [
      'keys as an array (room-event format)',
      (c) => ({ ...c, keys: [c.keys] }),
      /keys: a key entry must be an object/,
    ],
    ['index 256', (c) => ({ ...c, keys: { ...c.keys, index: 256 } }), /0 to 255/],
    ['index -1', (c) => ({ ...c, keys: { ...c.keys, index: -1 } }), /0 to 255/],
    ['index 1.5', (c) => ({ ...c, keys: { ...c.keys, index: 1.5 } }), /0 to 255/],
    ['index as string', (c) => ({ ...c, keys: { ...c.keys, index: '1' } }), /0 to 255/],
    ['a 32 byte key', (c) => ({ ...c, keys: { ...c.keys, key: b64(key32) } }), /16 bytes, got 32/],
    ['a 15 byte key', (c) => ({ ...c, keys: { ...c.keys, key: b64(key16.slice(1)) } }), /16 bytes, got 15/],
    ['key not base64', (c) => ({ ...c, keys: { ...c.keys, key: 'ab$cd' } }), /not valid base64/],
    ['no room_id', (c) => ({ ...c, room_id: undefined }), /room_id/],
    ['no member', (c) => ({ ...c, member: undefined }), /member must be an object/],
    ['no claimed_device_id', (c) => ({ ...c, member: { id: 'x' } }), /claimed_device_id/],
    ['member.id as number', (c) => ({ ...c, member: { ...c.member, id: 5 } }), /member.id/],
    ['session as string', (c) => ({ ...c, session: 'm.call' }), /session must be an object/],
    ['session without scope', (c) => ({ ...c, session: { application: 'm.call', call_id: '' } }), /scope/],
    ['negative sent_ts', (c) => ({ ...c, sent_ts: -5 }), /sent_ts/],
  ];
  for (const [name, mutate, reason] of bad) {
    it(`rejects ${name}`, () => {
      const parsed = parseElementKeys(ALICE, mutate(elementContent()));
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok) expect(parsed.reason).to.match(reason);
    });
  }

  it('rejects a sender that is not a user id', () => {
    const parsed = parseElementKeys('alice', elementContent());
    expect(parsed.ok).to.equal(false);
  });
});

describe('famedly encryption key events', () => {
  it('parses the keys content famedly sends, with 32 and 16 byte keys', () => {
    const parsed = parseFamedlyKeys(ALICE, famedlyContent());
    expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.value).to.include({ format: 'famedly', deviceId: 'FAMDEV', roomId: ROOM });
    expect(parsed.value.memberId).to.equal(`${ALICE}:FAMDEV`);
    expect(parsed.value.session.callId).to.equal(ROOM);
    expect(parsed.value.keys.map((k) => [k.index, k.key.length])).to.deep.equal([
      [0, 32],
      [1, 16],
    ]);
  });

  it('parses a request and round-trips both builders', () => {
    const request = buildFamedlyKeyRequest({ deviceId: 'KIT', roomId: ROOM, callId: ROOM });
    expect(request).to.deep.equal({ conf_id: ROOM, device_id: 'KIT', room_id: ROOM });
    const parsedRequest = parseFamedlyKeyRequest(ALICE, request);
    expect(parsedRequest.ok && parsedRequest.value).to.deep.equal({
      kind: 'request',
      format: 'famedly',
      userId: ALICE,
      deviceId: 'KIT',
      roomId: ROOM,
      callId: ROOM,
    });
    const keys = buildFamedlyKeys({
      deviceId: 'KIT',
      roomId: ROOM,
      callId: ROOM,
      keys: [{ index: 9, key: key16 }],
    });
    const parsedKeys = parseFamedlyKeys(ALICE, keys);
    expect(parsedKeys.ok && parsedKeys.value.keys[0]!.index).to.equal(9);
  });

  const bad: Array<[string, (c: ReturnType<typeof famedlyContent>) => unknown, RegExp]> = [
    ['empty keys', (c) => ({ ...c, keys: [] }), /non-empty array/],
    ['keys as an object', (c) => ({ ...c, keys: c.keys[0] }), /non-empty array/],
    [
      'a bad second key',
      (c) => ({ ...c, keys: [c.keys[0], { index: 300, key: b64(key16) }] }),
      /keys\[1\].*0 to 255/,
    ],
    [
      'an 8 byte key',
      (c) => ({ ...c, keys: [{ index: 0, key: b64(key16.slice(8)) }] }),
      /16 or 32 bytes, got 8/,
    ],
    ['no device_id', (c) => ({ ...c, device_id: undefined }), /device_id/],
    ['conf_id and call_id disagreeing', (c) => ({ ...c, conf_id: 'other' }), /different calls/],
    ['no room_id', (c) => ({ ...c, room_id: 7 }), /room_id/],
  ];
  for (const [name, mutate, reason] of bad) {
    it(`rejects ${name}`, () => {
      const parsed = parseFamedlyKeys(ALICE, mutate(famedlyContent()));
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok) expect(parsed.reason).to.match(reason);
    });
  }
});

describe('parseKeyToDeviceEvent', () => {
  it('dispatches by every accepted type name', () => {
    const cases: Array<[string, unknown, string]> = [
      [ELEMENT_ENCRYPTION_KEYS, elementContent(), 'keys/element'],
      [FAMEDLY_ENCRYPTION_KEYS, famedlyContent(), 'keys/famedly'],
      [FAMEDLY_ENCRYPTION_KEYS_README, famedlyContent(), 'keys/famedly'],
      [FAMEDLY_ENCRYPTION_KEYS_REQUEST, { conf_id: '', device_id: 'D', room_id: ROOM }, 'request/famedly'],
      [
        FAMEDLY_ENCRYPTION_KEYS_REQUEST_README,
        { conf_id: '', device_id: 'D', room_id: ROOM },
        'request/famedly',
      ],
    ];
    for (const [type, content, expected] of cases) {
      const parsed = parseKeyToDeviceEvent(toDevice(type, content), ROOM);
      expect(parsed.ok, `${type}: ${JSON.stringify(parsed)}`).to.equal(true);
      if (parsed.ok) expect(`${parsed.value.kind}/${parsed.value.format}`).to.equal(expected);
    }
  });

  it('refuses key events that arrived unencrypted', () => {
    const parsed = parseKeyToDeviceEvent(toDevice(ELEMENT_ENCRYPTION_KEYS, elementContent(), false), ROOM);
    expect(parsed.ok).to.equal(false);
    if (!parsed.ok) expect(parsed.reason).to.match(/encrypted/);
  });

  it('refuses keys for another room and unknown types', () => {
    const other = parseKeyToDeviceEvent(
      toDevice(ELEMENT_ENCRYPTION_KEYS, elementContent()),
      '!other:example.org',
    );
    expect(other.ok).to.equal(false);
    if (!other.ok) expect(other.reason).to.match(/another room/);
    const unknown = parseKeyToDeviceEvent(toDevice('m.call.invite', {}), ROOM);
    expect(unknown.ok).to.equal(false);
  });

  it('never throws, whatever the content', () => {
    const types = [ELEMENT_ENCRYPTION_KEYS, FAMEDLY_ENCRYPTION_KEYS, FAMEDLY_ENCRYPTION_KEYS_REQUEST];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.anything(), fc.boolean(), (type, content, encrypted) => {
        const parsed = parseKeyToDeviceEvent({ type, sender: ALICE, content, encrypted }, ROOM);
        expect(typeof parsed.ok).to.equal('boolean');
      }),
      { numRuns: 500 },
    );
    // Structured near-misses reach deeper than random values.
    fc.assert(
      fc.property(
        fc.record({
          keys: fc.oneof(fc.anything(), fc.record({ index: fc.anything(), key: fc.anything() })),
          room_id: fc.oneof(fc.constant(ROOM), fc.anything()),
          member: fc.oneof(fc.record({ claimed_device_id: fc.anything(), id: fc.anything() }), fc.anything()),
          session: fc.anything(),
          sent_ts: fc.anything(),
        }),
        (content) => {
          const parsed = parseElementKeys(ALICE, content);
          if (parsed.ok) {
            const m: KeysMessage = parsed.value;
            expect(m.keys[0]!.key.length).to.equal(16);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
