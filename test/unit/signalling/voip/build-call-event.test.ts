import { expect } from '@open-wc/testing';
import {
  callEventContent,
  callEventType,
  END_OF_CANDIDATES_MARKER,
  isEndOfCandidates,
  parseCallEvent,
  parseReceivedCallEvent,
  type CallEvent,
} from '../../../../src/signalling/voip/index.js';
import { HOST_CANDIDATE, SDP_ANSWER, SDP_OFFER } from './samples.js';

const metadata = {
  camera: { purpose: 'm.usermedia', audio_muted: false, video_muted: true },
  screen: { purpose: 'm.screenshare', audio_muted: true, video_muted: false },
} as const;

const base = { call_id: 'call-1', party_id: 'KITDEVICE', version: '1' } as const;
const leg = {
  device_id: 'KITDEVICE',
  sender_session_id: 'my-session',
  dest_session_id: 'their-session',
  seq: 4,
  room_id: '!room:example.org',
} as const;

/** One event of every kind, with every optional field somewhere. */
const events: readonly CallEvent[] = [
  {
    kind: 'invite',
    ...base,
    offer: { type: 'offer', sdp: SDP_OFFER },
    lifetime: 90000,
    invitee: '@bob:example.org',
    sdp_stream_metadata: metadata,
    capabilities: { 'm.call.dtmf': true, 'm.call.transferee': false },
  },
  { kind: 'invite', ...base, offer: { type: 'offer', sdp: SDP_OFFER }, lifetime: 0 },
  {
    kind: 'candidates',
    ...base,
    candidates: [
      { candidate: HOST_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' },
      { candidate: HOST_CANDIDATE, sdpMLineIndex: 1 },
      END_OF_CANDIDATES_MARKER,
    ],
  },
  { kind: 'answer', ...base, answer: { type: 'answer', sdp: SDP_ANSWER }, sdp_stream_metadata: metadata },
  { kind: 'select_answer', ...base, selected_party_id: 'THEIRDEVICE' },
  { kind: 'reject', ...base },
  {
    kind: 'negotiate',
    ...base,
    description: { type: 'offer', sdp: SDP_OFFER },
    lifetime: 10000,
    sdp_stream_metadata: metadata,
  },
  { kind: 'negotiate', ...base, description: { type: 'answer', sdp: SDP_ANSWER } },
  { kind: 'hangup', ...base, reason: 'ice_failed' },
  { kind: 'hangup', ...base, reason: 'user_hangup' },
  { kind: 'metadata_changed', ...base, sdp_stream_metadata: metadata },
  { kind: 'hangup', ...base, reason: 'invite_timeout', leg: { ...leg, conf_id: 'conf-1' } },
  { kind: 'candidates', ...base, candidates: [END_OF_CANDIDATES_MARKER], leg },
  { kind: 'invite', call_id: 'old', version: 0, offer: { type: 'offer', sdp: SDP_OFFER }, lifetime: 60000 },
];

describe('callEventContent: wire JSON', () => {
  it('an invite as the spec and matrix-js-sdk expect it', () => {
    expect(callEventContent(events[0]!)).to.deep.equal({
      type: 'm.call.invite',
      content: {
        call_id: 'call-1',
        party_id: 'KITDEVICE',
        version: '1',
        offer: { type: 'offer', sdp: SDP_OFFER },
        lifetime: 90000,
        invitee: '@bob:example.org',
        sdp_stream_metadata: metadata,
        'org.matrix.msc3077.sdp_stream_metadata': metadata,
        capabilities: { 'm.call.dtmf': true, 'm.call.transferee': false },
      },
    });
  });

  it('the metadata event under its stable type, metadata under both keys', () => {
    const wire = callEventContent(events[10]!);
    expect(wire.type).to.equal('m.call.sdp_stream_metadata_changed');
    expect(wire.content['sdp_stream_metadata']).to.deep.equal(metadata);
    expect(wire.content['org.matrix.msc3077.sdp_stream_metadata']).to.deep.equal(metadata);
  });

  it('candidates keep usernameFragment and end with { candidate: "" }', () => {
    const wire = callEventContent(events[2]!);
    expect(wire.content['candidates']).to.deep.equal([
      { candidate: HOST_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' },
      { candidate: HOST_CANDIDATE, sdpMLineIndex: 1 },
      { candidate: '' },
    ]);
    expect(isEndOfCandidates(END_OF_CANDIDATES_MARKER)).to.equal(true);
    expect(isEndOfCandidates({ candidate: HOST_CANDIDATE, sdpMid: '0' })).to.equal(false);
  });

  it('a to-device leg is flattened at the top level; conf_id only when the leg has one', () => {
    const withConf = callEventContent(events[11]!).content;
    expect(withConf).to.deep.equal({
      call_id: 'call-1',
      party_id: 'KITDEVICE',
      version: '1',
      device_id: 'KITDEVICE',
      sender_session_id: 'my-session',
      dest_session_id: 'their-session',
      seq: 4,
      room_id: '!room:example.org',
      conf_id: 'conf-1',
      reason: 'invite_timeout',
    });
    expect(callEventContent(events[12]!).content).to.not.have.property('conf_id');
    expect(callEventContent(events[3]!).content).to.not.have.any.keys('device_id', 'seq', 'room_id', 'leg');
  });

  it('reject and select_answer carry only the envelope and their field; hangup always names its reason', () => {
    expect(callEventContent(events[5]!).content).to.deep.equal(base);
    expect(callEventContent(events[4]!).content).to.deep.equal({ ...base, selected_party_id: 'THEIRDEVICE' });
    expect(callEventContent(events[9]!).content).to.deep.equal({ ...base, reason: 'user_hangup' });
  });

  it('a version 0 event keeps version 0 and has no party_id', () => {
    const v0 = callEventContent({ ...(events[13] as CallEvent), party_id: 'ignored' } as CallEvent).content;
    expect(v0['version']).to.equal(0);
    expect(v0).to.not.have.property('party_id');
  });

  it('every kind has its type name', () => {
    expect(events.map(callEventType)).to.deep.equal([
      'm.call.invite',
      'm.call.invite',
      'm.call.candidates',
      'm.call.answer',
      'm.call.select_answer',
      'm.call.reject',
      'm.call.negotiate',
      'm.call.negotiate',
      'm.call.hangup',
      'm.call.hangup',
      'm.call.sdp_stream_metadata_changed',
      'm.call.hangup',
      'm.call.candidates',
      'm.call.invite',
    ]);
  });

  it('the content shares nothing with the event', () => {
    const event = JSON.parse(JSON.stringify(events[0])) as CallEvent;
    const wire = callEventContent(event);
    (wire.content['offer'] as { sdp: string }).sdp = 'changed';
    (wire.content['sdp_stream_metadata'] as Record<string, { audio_muted: boolean }>)['camera']!.audio_muted =
      true;
    expect(event).to.deep.equal(events[0]);
  });
});

describe('callEventContent read back by parseCallEvent', () => {
  events.forEach((event, i) => {
    it(`#${i} ${event.kind}${event.leg ? ' (to-device leg)' : ''}${event.version === 0 ? ' (version 0)' : ''}`, () => {
      const wire = callEventContent(event);
      const json = JSON.parse(JSON.stringify(wire.content)) as unknown;
      const parsed = parseCallEvent(wire.type, json);
      expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
      expect(parsed.ok && parsed.value).to.deep.equal(event);
    });
  });

  it('through a received envelope: room events lose nothing, to-device events keep the leg', () => {
    for (const event of events) {
      const { type, content } = callEventContent(event);
      const received = event.leg
        ? parseReceivedCallEvent({ type, sender: '@kit:example.org', content, encrypted: false }, 1)
        : parseReceivedCallEvent(
            {
              type,
              sender: '@kit:example.org',
              content,
              event_id: '$e',
              room_id: '!room:example.org',
              origin_server_ts: 0,
            },
            1,
          );
      expect(received.ok && received.value.event, JSON.stringify(received)).to.deep.equal(event);
    }
  });
});
