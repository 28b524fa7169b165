import { expect } from '@open-wc/testing';
import {
  CALL_EVENT_LIMITS,
  parseCallEvent,
  parseReceivedCallEvent,
  type CallEvent,
  type Parsed,
} from '../../../../src/signalling/voip/index.js';
import type { RawRoomEvent, RawToDeviceEvent } from '../../../../src/transport/transport.js';
import { HOST_CANDIDATE, jsSdk, SDP_ANSWER, SDP_OFFER, spec } from './samples.js';

function ok(parsed: Parsed<CallEvent>): CallEvent {
  expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

function reason(parsed: Parsed<unknown>): string {
  expect(parsed.ok, 'expected a rejection').to.equal(false);
  return parsed.ok ? '' : parsed.reason;
}

const clone = <T>(value: T): Record<string, unknown> =>
  JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
const withField = (content: object, key: string, value: unknown) => ({ ...clone(content), [key]: value });

describe('parseCallEvent: the spec examples', () => {
  it('m.call.invite (metadata entries without mute flags read as unmuted)', () => {
    expect(ok(parseCallEvent('m.call.invite', spec.invite))).to.deep.equal({
      kind: 'invite',
      call_id: '12345',
      party_id: '67890',
      version: '1',
      offer: { type: 'offer', sdp: SDP_OFFER },
      lifetime: 60000,
      invitee: '@bob:example.org',
      sdp_stream_metadata: {
        '271828182845': { purpose: 'm.screenshare', audio_muted: false, video_muted: false },
        '314159265358': { purpose: 'm.usermedia', audio_muted: false, video_muted: false },
      },
    });
  });

  it('m.call.candidates', () => {
    expect(ok(parseCallEvent('m.call.candidates', spec.candidates))).to.deep.equal({
      kind: 'candidates',
      call_id: '12345',
      party_id: '67890',
      version: '1',
      candidates: [{ candidate: HOST_CANDIDATE, sdpMid: 'audio', sdpMLineIndex: 0 }],
    });
  });

  it('m.call.answer', () => {
    expect(ok(parseCallEvent('m.call.answer', spec.answer))).to.deep.equal({
      kind: 'answer',
      call_id: '12345',
      party_id: '67890',
      version: '1',
      answer: { type: 'answer', sdp: SDP_ANSWER },
      sdp_stream_metadata: {
        '271828182845': { purpose: 'm.usermedia', audio_muted: false, video_muted: true },
      },
    });
  });

  it('m.call.select_answer', () => {
    expect(ok(parseCallEvent('m.call.select_answer', spec.selectAnswer))).to.deep.equal({
      kind: 'select_answer',
      call_id: '12345',
      party_id: '67890',
      version: '1',
      selected_party_id: '111213',
    });
  });

  it('m.call.reject', () => {
    expect(ok(parseCallEvent('m.call.reject', spec.reject))).to.deep.equal({
      kind: 'reject',
      call_id: '12345',
      party_id: '67890',
      version: '1',
    });
  });

  it('m.call.negotiate', () => {
    expect(ok(parseCallEvent('m.call.negotiate', spec.negotiate))).to.deep.equal({
      kind: 'negotiate',
      call_id: '12345',
      party_id: '67890',
      version: '1',
      description: { type: 'offer', sdp: SDP_OFFER },
      lifetime: 10000,
      sdp_stream_metadata: {
        '314159265358': { purpose: 'm.usermedia', audio_muted: true, video_muted: false },
      },
    });
    const answer = withField(spec.negotiate, 'description', { type: 'answer', sdp: SDP_ANSWER });
    delete answer['lifetime'];
    const parsed = ok(parseCallEvent('m.call.negotiate', answer));
    expect(parsed).to.include({ kind: 'negotiate' });
    expect(parsed).to.not.have.property('lifetime');
  });

  it('m.call.hangup', () => {
    expect(ok(parseCallEvent('m.call.hangup', spec.hangup))).to.deep.equal({
      kind: 'hangup',
      call_id: '12345',
      party_id: '67890',
      version: '1',
      reason: 'user_hangup',
    });
  });

  it('m.call.sdp_stream_metadata_changed', () => {
    expect(ok(parseCallEvent('m.call.sdp_stream_metadata_changed', spec.metadataChanged))).to.deep.equal({
      kind: 'metadata_changed',
      call_id: '1414213562373095',
      party_id: '1732050807568877',
      version: '1',
      sdp_stream_metadata: {
        '2311546231': { purpose: 'm.usermedia', audio_muted: false, video_muted: true },
      },
    });
  });

  it('a version 0 invite: no party_id, version 0', () => {
    expect(ok(parseCallEvent('m.call.invite', spec.inviteV0))).to.deep.equal({
      kind: 'invite',
      call_id: '12345',
      version: 0,
      offer: { type: 'offer', sdp: SDP_OFFER },
      lifetime: 60000,
    });
  });
});

describe('parseCallEvent: what matrix-js-sdk writes', () => {
  it('invite with capabilities and metadata under the unstable MSC3077 key, no invitee', () => {
    const invite = ok(parseCallEvent('m.call.invite', jsSdk.invite));
    expect(invite).to.deep.equal({
      kind: 'invite',
      call_id: '1732000000000abcdefghijkl',
      party_id: 'JSDKDEVICE',
      version: '1',
      offer: { type: 'offer', sdp: SDP_OFFER },
      lifetime: 60000,
      sdp_stream_metadata: { 'stream-1': { purpose: 'm.usermedia', audio_muted: false, video_muted: false } },
      capabilities: { 'm.call.transferee': false, 'm.call.dtmf': false },
    });
  });

  it('candidates from RTCIceCandidate.toJSON with usernameFragment, and the end-of-candidates { candidate: "" }', () => {
    const event = ok(parseCallEvent('m.call.candidates', jsSdk.candidates));
    expect(event.kind === 'candidates' && event.candidates).to.deep.equal([
      { candidate: HOST_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'Ufr4' },
      { candidate: '' },
    ]);
  });

  it('answer with unstable metadata and capabilities', () => {
    const answer = ok(parseCallEvent('m.call.answer', jsSdk.answer));
    expect(answer).to.deep.include({
      kind: 'answer',
      party_id: 'CALLEEDEVICE',
      sdp_stream_metadata: { 'stream-2': { purpose: 'm.usermedia', audio_muted: false, video_muted: true } },
      capabilities: { 'm.call.transferee': false, 'm.call.dtmf': false },
    });
  });

  it('reject without a reason', () => {
    expect(ok(parseCallEvent('m.call.reject', jsSdk.reject))).to.deep.equal({
      kind: 'reject',
      call_id: '1732000000000abcdefghijkl',
      party_id: 'CALLEEDEVICE',
      version: '1',
    });
  });

  it('hangup without a reason reads as user_hangup; a reason the spec does not list as unknown_error', () => {
    expect(ok(parseCallEvent('m.call.hangup', jsSdk.hangupNoReason))).to.include({ reason: 'user_hangup' });
    expect(ok(parseCallEvent('m.call.hangup', jsSdk.hangupAnsweredElsewhere))).to.include({
      reason: 'unknown_error',
    });
    for (const listed of ['ice_failed', 'invite_timeout', 'user_media_failed', 'user_busy', 'ice_timeout']) {
      const hangup = ok(parseCallEvent('m.call.hangup', withField(spec.hangup, 'reason', listed)));
      expect(hangup).to.include({ reason: listed });
    }
    // A hangup must still end the call when its reason is garbage.
    expect(ok(parseCallEvent('m.call.hangup', withField(spec.hangup, 'reason', 42)))).to.include({
      reason: 'unknown_error',
    });
    expect(ok(parseCallEvent('m.call.hangup', withField(spec.hangup, 'reason', null)))).to.include({
      reason: 'user_hangup',
    });
  });

  it('the metadata event under its unstable type name org.matrix.call.sdp_stream_metadata_changed', () => {
    const event = ok(parseCallEvent('org.matrix.call.sdp_stream_metadata_changed', jsSdk.metadataChanged));
    expect(event).to.deep.equal({
      kind: 'metadata_changed',
      call_id: '1732000000000abcdefghijkl',
      party_id: 'JSDKDEVICE',
      version: '1',
      sdp_stream_metadata: { 'stream-1': { purpose: 'm.usermedia', audio_muted: true, video_muted: false } },
    });
  });

  it('to-device leg fields: read into leg, org.matrix.msgid and other unknowns left behind', () => {
    const event = ok(parseCallEvent('m.call.invite', jsSdk.toDeviceInvite));
    expect(event.leg).to.deep.equal({
      device_id: 'JSDKDEVICE',
      sender_session_id: 'session-a',
      dest_session_id: 'session-b',
      seq: 0,
      room_id: '!room:example.org',
      conf_id: 'group-call-id',
    });
    expect(Object.keys(event).sort()).to.deep.equal(
      ['call_id', 'kind', 'leg', 'lifetime', 'offer', 'party_id', 'version'].sort(),
    );
  });

  it("matrix-js-sdk's legacy mesh leg has no room_id: rejected, naming what is missing", () => {
    const noRoom = clone(jsSdk.toDeviceInvite);
    delete noRoom['room_id'];
    expect(reason(parseCallEvent('m.call.invite', noRoom))).to.equal(
      'm.call.invite: a to-device leg needs device_id, sender_session_id, dest_session_id, seq, room_id; missing room_id',
    );
    const onlySeq = withField(spec.candidates, 'seq', 3);
    expect(reason(parseCallEvent('m.call.candidates', onlySeq))).to.contain(
      'missing device_id, sender_session_id, dest_session_id, room_id',
    );
  });

  it('conf_id alone (a room event of a group call) is no leg', () => {
    const event = ok(parseCallEvent('m.call.hangup', withField(spec.hangup, 'conf_id', 'conf')));
    expect(event).to.not.have.property('leg');
  });
});

describe('parseCallEvent: versions', () => {
  const versionOf = (version: unknown) => {
    const parsed = parseCallEvent('m.call.reject', withField(spec.reject, 'version', version));
    return parsed.ok ? parsed.value.version : parsed.reason;
  };

  it('0 and "0" are version 0; "1", 1 and newer numbers or strings read as "1"', () => {
    expect(versionOf(0)).to.equal(0);
    expect(versionOf('0')).to.equal(0);
    expect(versionOf('1')).to.equal('1');
    expect(versionOf(1)).to.equal('1');
    expect(versionOf('2')).to.equal('1');
    expect(versionOf(7)).to.equal('1');
    expect(versionOf('org.example.experimental')).to.equal('1');
  });

  it('other values are rejected', () => {
    for (const bad of [undefined, null, -1, 1.5, Number.NaN, true, '', {}, [], 'x'.repeat(256)]) {
      expect(versionOf(bad), String(bad)).to.equal(
        'm.call.reject: version must be 0 or a version string such as "1"',
      );
    }
  });

  it('version 0 ignores any party_id, as matrix-js-sdk does', () => {
    const v0 = ok(parseCallEvent('m.call.invite', withField(spec.inviteV0, 'party_id', 'stray')));
    expect(v0).to.not.have.property('party_id');
    const v0BadParty = ok(parseCallEvent('m.call.invite', withField(spec.inviteV0, 'party_id', 12)));
    expect(v0BadParty.version).to.equal(0);
  });

  it('version 1 without party_id is kept without one', () => {
    const noParty = clone(spec.reject);
    delete noParty['party_id'];
    expect(ok(parseCallEvent('m.call.reject', noParty))).to.deep.equal({
      kind: 'reject',
      call_id: '12345',
      version: '1',
    });
  });
});

describe('parseCallEvent: fields', () => {
  it('keeps unknown fields out at every level', () => {
    const noisy = {
      ...clone(spec.invite),
      extra: { deep: true },
      offer: { sdp: SDP_OFFER, type: 'offer', extra: 1 },
      sdp_stream_metadata: {
        s: { purpose: 'm.usermedia', audio_muted: true, video_muted: true, extra: 'x' },
      },
      capabilities: { 'm.call.dtmf': true, 'm.call.other': true },
    };
    expect(ok(parseCallEvent('m.call.invite', noisy))).to.deep.equal({
      kind: 'invite',
      call_id: '12345',
      party_id: '67890',
      version: '1',
      offer: { type: 'offer', sdp: SDP_OFFER },
      lifetime: 60000,
      invitee: '@bob:example.org',
      sdp_stream_metadata: { s: { purpose: 'm.usermedia', audio_muted: true, video_muted: true } },
      capabilities: { 'm.call.dtmf': true },
    });
    const candidate = { candidate: HOST_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, foo: 'bar' };
    const event = ok(
      parseCallEvent('m.call.candidates', withField(spec.candidates, 'candidates', [candidate])),
    );
    expect(event.kind === 'candidates' && event.candidates[0]).to.deep.equal({
      candidate: HOST_CANDIDATE,
      sdpMid: '0',
      sdpMLineIndex: 0,
    });
  });

  it('null optional fields read as absent', () => {
    const invite = ok(
      parseCallEvent('m.call.invite', {
        ...clone(spec.invite),
        invitee: null,
        sdp_stream_metadata: null,
        capabilities: null,
        party_id: null,
        device_id: null,
      }),
    );
    expect(invite).to.not.have.any.keys('invitee', 'sdp_stream_metadata', 'capabilities', 'party_id', 'leg');
    const candidates = ok(
      parseCallEvent(
        'm.call.candidates',
        withField(spec.candidates, 'candidates', [
          { candidate: HOST_CANDIDATE, sdpMid: null, sdpMLineIndex: 0, usernameFragment: null },
        ]),
      ),
    );
    expect(candidates.kind === 'candidates' && candidates.candidates[0]).to.deep.equal({
      candidate: HOST_CANDIDATE,
      sdpMLineIndex: 0,
    });
  });

  it('stream metadata: stable key preferred, unknown purposes dropped, "__proto__" stays a plain stream id', () => {
    const both = {
      ...clone(spec.metadataChanged),
      'org.matrix.msc3077.sdp_stream_metadata': { other: { purpose: 'm.usermedia' } },
    };
    const event = ok(parseCallEvent('m.call.sdp_stream_metadata_changed', both));
    expect(Object.keys(event.kind === 'metadata_changed' ? event.sdp_stream_metadata : {})).to.deep.equal([
      '2311546231',
    ]);

    const future = withField(spec.metadataChanged, 'sdp_stream_metadata', {
      a: { purpose: 'm.usermedia' },
      b: { purpose: 'org.example.hologram', audio_muted: true },
    });
    const dropped = ok(parseCallEvent('m.call.sdp_stream_metadata_changed', future));
    expect(dropped.kind === 'metadata_changed' && dropped.sdp_stream_metadata).to.deep.equal({
      a: { purpose: 'm.usermedia', audio_muted: false, video_muted: false },
    });

    const hostile = JSON.parse(
      '{"call_id":"c","party_id":"p","version":"1","sdp_stream_metadata":{"__proto__":{"purpose":"m.screenshare"}}}',
    ) as unknown;
    const proto = ok(parseCallEvent('m.call.sdp_stream_metadata_changed', hostile));
    const metadata = proto.kind === 'metadata_changed' ? proto.sdp_stream_metadata : {};
    expect(Object.getPrototypeOf(metadata)).to.equal(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(metadata, '__proto__')).to.equal(true);
    expect(({} as Record<string, unknown>)['purpose']).to.equal(undefined);
  });
});

describe('parseCallEvent: bounds', () => {
  const inviteWithSdp = (length: number) =>
    withField(spec.invite, 'offer', { type: 'offer', sdp: 'v'.repeat(length) });

  it(`SDP up to ${CALL_EVENT_LIMITS.sdpChars} characters`, () => {
    expect(parseCallEvent('m.call.invite', inviteWithSdp(CALL_EVENT_LIMITS.sdpChars)).ok).to.equal(true);
    expect(reason(parseCallEvent('m.call.invite', inviteWithSdp(CALL_EVENT_LIMITS.sdpChars + 1)))).to.equal(
      `m.call.invite: offer.sdp is longer than ${CALL_EVENT_LIMITS.sdpChars} characters`,
    );
  });

  it(`up to ${CALL_EVENT_LIMITS.candidates} candidates in one event`, () => {
    const list = (n: number) =>
      withField(
        spec.candidates,
        'candidates',
        Array.from({ length: n }, (_, i) => ({
          candidate: HOST_CANDIDATE,
          sdpMid: '0',
          sdpMLineIndex: i % 2,
        })),
      );
    expect(parseCallEvent('m.call.candidates', list(CALL_EVENT_LIMITS.candidates)).ok).to.equal(true);
    expect(reason(parseCallEvent('m.call.candidates', list(CALL_EVENT_LIMITS.candidates + 1)))).to.equal(
      `m.call.candidates: candidates holds more than ${CALL_EVENT_LIMITS.candidates} entries`,
    );
  });

  it(`ids up to ${CALL_EVENT_LIMITS.idChars} characters`, () => {
    const max = 'c'.repeat(CALL_EVENT_LIMITS.idChars);
    expect(parseCallEvent('m.call.reject', withField(spec.reject, 'call_id', max)).ok).to.equal(true);
    expect(reason(parseCallEvent('m.call.reject', withField(spec.reject, 'call_id', `${max}c`)))).to.equal(
      'm.call.reject: call_id must be a non-empty string of at most 255 characters',
    );
    expect(reason(parseCallEvent('m.call.reject', withField(spec.reject, 'party_id', `${max}p`)))).to.equal(
      'm.call.reject: party_id must be a non-empty string of at most 255 characters',
    );
  });

  it(`stream metadata of at most ${CALL_EVENT_LIMITS.streams} streams`, () => {
    const many = Object.fromEntries(
      Array.from({ length: CALL_EVENT_LIMITS.streams + 1 }, (_, i) => [`s${i}`, { purpose: 'm.usermedia' }]),
    );
    expect(
      reason(
        parseCallEvent(
          'm.call.sdp_stream_metadata_changed',
          withField(spec.metadataChanged, 'sdp_stream_metadata', many),
        ),
      ),
    ).to.equal(
      `m.call.sdp_stream_metadata_changed: sdp_stream_metadata describes more than ${CALL_EVENT_LIMITS.streams} streams`,
    );
  });
});

describe('parseCallEvent: each rejection reason', () => {
  const cases: ReadonlyArray<readonly [string, string, unknown, string]> = [
    ['type', 'm.room.message', spec.reject, 'm.room.message: not a call event type the kit reads'],
    [
      'asserted identity',
      'm.call.asserted_identity',
      spec.reject,
      'm.call.asserted_identity: not a call event type the kit reads',
    ],
    ['content', 'm.call.reject', [spec.reject], 'm.call.reject: content must be an object'],
    ['content null', 'm.call.reject', null, 'm.call.reject: content must be an object'],
    [
      'call_id',
      'm.call.reject',
      withField(spec.reject, 'call_id', 5),
      'm.call.reject: call_id must be a non-empty string of at most 255 characters',
    ],
    [
      'empty call_id',
      'm.call.reject',
      withField(spec.reject, 'call_id', ''),
      'm.call.reject: call_id must be a non-empty string of at most 255 characters',
    ],
    [
      'party_id',
      'm.call.answer',
      withField(spec.answer, 'party_id', ['x']),
      'm.call.answer: party_id must be a non-empty string of at most 255 characters',
    ],
    [
      'offer',
      'm.call.invite',
      withField(spec.invite, 'offer', 'v=0'),
      'm.call.invite: offer must be an object',
    ],
    [
      'offer.sdp',
      'm.call.invite',
      withField(spec.invite, 'offer', { type: 'offer', sdp: 5 }),
      'm.call.invite: offer.sdp must be a string',
    ],
    [
      'offer.sdp empty',
      'm.call.invite',
      withField(spec.invite, 'offer', { type: 'offer', sdp: '' }),
      'm.call.invite: offer.sdp must not be empty',
    ],
    [
      'offer.type',
      'm.call.invite',
      withField(spec.invite, 'offer', { type: 'answer', sdp: SDP_OFFER }),
      'm.call.invite: offer.type must be "offer"',
    ],
    [
      'lifetime',
      'm.call.invite',
      withField(spec.invite, 'lifetime', '60000'),
      'm.call.invite: lifetime must be a non-negative number of milliseconds',
    ],
    [
      'lifetime negative',
      'm.call.invite',
      withField(spec.invite, 'lifetime', -1),
      'm.call.invite: lifetime must be a non-negative number of milliseconds',
    ],
    [
      'invitee',
      'm.call.invite',
      withField(spec.invite, 'invitee', 'bob'),
      'm.call.invite: invitee must be a Matrix user id',
    ],
    [
      'capabilities',
      'm.call.invite',
      withField(spec.invite, 'capabilities', true),
      'm.call.invite: capabilities must be an object',
    ],
    [
      'capability flag',
      'm.call.answer',
      withField(spec.answer, 'capabilities', { 'm.call.dtmf': 'yes' }),
      'm.call.answer: capabilities["m.call.dtmf"] must be a boolean',
    ],
    [
      'metadata',
      'm.call.invite',
      withField(spec.invite, 'sdp_stream_metadata', []),
      'm.call.invite: sdp_stream_metadata must be an object',
    ],
    [
      'metadata entry',
      'm.call.answer',
      withField(spec.answer, 'sdp_stream_metadata', { s: 1 }),
      'm.call.answer: sdp_stream_metadata["s"] must be an object',
    ],
    [
      'metadata purpose',
      'm.call.answer',
      withField(spec.answer, 'sdp_stream_metadata', { s: { purpose: 1 } }),
      'm.call.answer: sdp_stream_metadata["s"].purpose must be a string',
    ],
    [
      'metadata muted',
      'm.call.answer',
      withField(spec.answer, 'sdp_stream_metadata', { s: { purpose: 'm.usermedia', audio_muted: 'no' } }),
      'm.call.answer: sdp_stream_metadata["s"].audio_muted must be a boolean',
    ],
    [
      'unstable metadata',
      'm.call.answer',
      withField(jsSdk.answer, 'org.matrix.msc3077.sdp_stream_metadata', 'x'),
      'm.call.answer: org.matrix.msc3077.sdp_stream_metadata must be an object',
    ],
    [
      'metadata missing',
      'm.call.sdp_stream_metadata_changed',
      spec.reject,
      'm.call.sdp_stream_metadata_changed: sdp_stream_metadata is missing',
    ],
    [
      'unstable metadata wrong',
      'org.matrix.call.sdp_stream_metadata_changed',
      withField(spec.reject, 'org.matrix.msc3077.sdp_stream_metadata', 'x'),
      'org.matrix.call.sdp_stream_metadata_changed: org.matrix.msc3077.sdp_stream_metadata must be an object',
    ],
    [
      'candidates',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', {}),
      'm.call.candidates: candidates must be an array',
    ],
    [
      'candidate entry',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', ['x']),
      'm.call.candidates: candidates[0] must be an object',
    ],
    [
      'candidate string',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', [{ candidate: null }]),
      'm.call.candidates: candidates[0].candidate must be a string',
    ],
    [
      'candidate long',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', [{ candidate: 'c'.repeat(4097), sdpMid: '0' }]),
      'm.call.candidates: candidates[0].candidate is longer than 4096 characters',
    ],
    [
      'sdpMid',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', [{ candidate: HOST_CANDIDATE, sdpMid: 0 }]),
      'm.call.candidates: candidates[0].sdpMid must be a string of at most 255 characters',
    ],
    [
      'sdpMLineIndex',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', [{ candidate: HOST_CANDIDATE, sdpMLineIndex: -1 }]),
      'm.call.candidates: candidates[0].sdpMLineIndex must be an integer from 0 to 65535',
    ],
    [
      'usernameFragment',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', [
        { candidate: HOST_CANDIDATE, sdpMid: '0', usernameFragment: 1 },
      ]),
      'm.call.candidates: candidates[0].usernameFragment must be a string of at most 255 characters',
    ],
    [
      'candidate with no m-line',
      'm.call.candidates',
      withField(spec.candidates, 'candidates', [{ candidate: HOST_CANDIDATE }]),
      'm.call.candidates: candidates[0] needs sdpMid or sdpMLineIndex',
    ],
    [
      'answer.type',
      'm.call.answer',
      withField(spec.answer, 'answer', { type: 'offer', sdp: SDP_ANSWER }),
      'm.call.answer: answer.type must be "answer"',
    ],
    [
      'selected_party_id',
      'm.call.select_answer',
      withField(spec.selectAnswer, 'selected_party_id', null),
      'm.call.select_answer: selected_party_id must be a non-empty string of at most 255 characters',
    ],
    [
      'description.type',
      'm.call.negotiate',
      withField(spec.negotiate, 'description', { type: 'pranswer', sdp: SDP_OFFER }),
      'm.call.negotiate: description.type must be "offer" or "answer"',
    ],
    [
      'negotiate lifetime',
      'm.call.negotiate',
      withField(spec.negotiate, 'lifetime', {}),
      'm.call.negotiate: lifetime must be a non-negative number of milliseconds',
    ],
    [
      'device_id',
      'm.call.invite',
      withField(jsSdk.toDeviceInvite, 'device_id', 7),
      'm.call.invite: device_id must be a non-empty string of at most 255 characters',
    ],
    [
      'sender_session_id',
      'm.call.invite',
      withField(jsSdk.toDeviceInvite, 'sender_session_id', ''),
      'm.call.invite: sender_session_id must be a non-empty string of at most 255 characters',
    ],
    [
      'dest_session_id',
      'm.call.invite',
      withField(jsSdk.toDeviceInvite, 'dest_session_id', []),
      'm.call.invite: dest_session_id must be a non-empty string of at most 255 characters',
    ],
    [
      'seq',
      'm.call.invite',
      withField(jsSdk.toDeviceInvite, 'seq', '0'),
      'm.call.invite: seq must be a non-negative integer',
    ],
    [
      'room_id',
      'm.call.invite',
      withField(jsSdk.toDeviceInvite, 'room_id', 'room'),
      'm.call.invite: room_id must be a Matrix room id',
    ],
    [
      'conf_id',
      'm.call.invite',
      withField(jsSdk.toDeviceInvite, 'conf_id', 3),
      'm.call.invite: conf_id must be a non-empty string of at most 255 characters',
    ],
  ];
  for (const [name, type, content, expected] of cases) {
    it(name, () => expect(reason(parseCallEvent(type, content))).to.equal(expected));
  }

  it('a non-string type', () => {
    expect(reason(parseCallEvent(42 as unknown as string, spec.reject))).to.equal(
      'the event type must be a string',
    );
  });

  it('a very long unknown type is cut short in the reason', () => {
    expect(reason(parseCallEvent('x'.repeat(10000), {})).length).to.be.below(120);
  });

  it('content whose getters throw', () => {
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    expect(reason(parseCallEvent('m.call.reject', trap))).to.equal(
      'm.call.reject: content could not be read',
    );
  });
});

describe('parseReceivedCallEvent', () => {
  const room = (content: unknown, extra: Partial<RawRoomEvent> = {}): RawRoomEvent => ({
    type: 'm.call.invite',
    sender: '@alice:example.org',
    event_id: '$invite',
    room_id: '!room:example.org',
    origin_server_ts: 1_700_000_000_000,
    content,
    unsigned: { age: 1234 },
    ...extra,
  });
  const toDevice = (content: unknown, type = 'm.call.invite'): RawToDeviceEvent => ({
    type,
    sender: '@alice:example.org',
    content,
    encrypted: true,
  });

  it('a room event: sender, event id, age on receipt and time of receipt', () => {
    const parsed = parseReceivedCallEvent(room(spec.invite), 5000);
    expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.value.sender).to.equal('@alice:example.org');
    expect(parsed.value.eventId).to.equal('$invite');
    expect(parsed.value.ageOnReceipt).to.equal(1234);
    expect(parsed.value.receivedAt).to.equal(5000);
    expect(parsed.value.event).to.deep.equal(ok(parseCallEvent('m.call.invite', spec.invite)));
  });

  it('a room event never carries a leg: leg fields in its content are ignored, even partial ones', () => {
    const parsed = parseReceivedCallEvent(room(jsSdk.toDeviceInvite), 0);
    expect(parsed.ok && parsed.value.event.leg).to.equal(undefined);
    const partial = parseReceivedCallEvent(room(withField(spec.invite, 'seq', 1)), 0);
    expect(partial.ok).to.equal(true);
  });

  it('age is left unknown when missing, negative or not a number', () => {
    for (const unsigned of [undefined, {}, { age: -5 }, { age: '12' }, { age: Number.POSITIVE_INFINITY }]) {
      const parsed = parseReceivedCallEvent(
        room(spec.invite, { unsigned: unsigned as RawRoomEvent['unsigned'] }),
        0,
      );
      expect(parsed.ok && parsed.value).to.not.have.property('ageOnReceipt');
    }
  });

  it('a to-device event carries its leg', () => {
    const parsed = parseReceivedCallEvent(toDevice(jsSdk.toDeviceInvite), 7);
    expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.value.event.leg?.seq).to.equal(0);
    expect(parsed.value).to.not.have.any.keys('eventId', 'ageOnReceipt');
  });

  it('a to-device event without leg fields is rejected', () => {
    expect(reason(parseReceivedCallEvent(toDevice(spec.invite), 0))).to.equal(
      'm.call.invite: a to-device call event needs device_id, sender_session_id, dest_session_id, seq, room_id',
    );
  });

  it('rejects a sender that is not a user id, a bad event id, and garbage envelopes', () => {
    expect(reason(parseReceivedCallEvent(room(spec.invite, { sender: 'alice' }), 0))).to.equal(
      'sender must be a Matrix user id',
    );
    expect(reason(parseReceivedCallEvent(room(spec.invite, { event_id: '' }), 0))).to.equal(
      'event_id must be a non-empty string',
    );
    expect(reason(parseReceivedCallEvent(null as unknown as RawRoomEvent, 0))).to.equal(
      'the event must be an object',
    );
    expect(reason(parseReceivedCallEvent(room('x'), 0))).to.equal('m.call.invite: content must be an object');
  });
});
