/**
 * Property tests of the m.call.* parser and builder: arbitrary and hostile contents never make the
 * parser throw, every well-formed CallEvent built to wire JSON parses back equal, and whatever the
 * parser accepts is a fixed point of build-then-parse (nothing half-read slips through).
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  ALL_CALL_EVENT_TYPES,
  CALL_EVENT_LIMITS,
  callEventContent,
  parseCallEvent,
  parseReceivedCallEvent,
  type CallCandidate,
  type CallEvent,
  type Parsed,
  type SdpStreamMetadata,
  type ToDeviceLeg,
  type WireHangupReason,
} from '../../src/signalling/voip/index.js';
import type { RawRoomEvent } from '../../src/transport/transport.js';

const RUNS = 400;

const id = fc
  .string({ minLength: 1, maxLength: 40, unit: 'binary' })
  .filter((s) => s.length <= CALL_EVENT_LIMITS.idChars);
const userId = fc
  .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }))
  .map(([local, server]) => `@${local.replace(/:/g, '_')}:${server}`);
const sdp = fc.string({ minLength: 1, maxLength: 400, unit: 'binary' });
const duration = fc.nat({ max: 10_000_000 });

const metadata: fc.Arbitrary<SdpStreamMetadata> = fc
  .array(
    fc.tuple(
      id,
      fc.record({
        purpose: fc.constantFrom('m.usermedia' as const, 'm.screenshare' as const),
        audio_muted: fc.boolean(),
        video_muted: fc.boolean(),
      }),
    ),
    { maxLength: 4 },
  )
  .map((entries) => Object.fromEntries(entries));

const candidate: fc.Arbitrary<CallCandidate> = fc.oneof(
  fc.constant({ candidate: '' }),
  fc
    .record(
      {
        candidate: fc.string({ maxLength: 200 }),
        sdpMid: fc.string({ maxLength: 8 }),
        sdpMLineIndex: fc.nat({ max: CALL_EVENT_LIMITS.mLineIndex }),
        usernameFragment: fc.string({ maxLength: 16 }),
      },
      { requiredKeys: ['candidate'] },
    )
    .filter((c) => c.candidate === '' || c.sdpMid !== undefined || c.sdpMLineIndex !== undefined),
);

const capabilities = fc.record(
  { 'm.call.transferee': fc.boolean(), 'm.call.dtmf': fc.boolean() },
  { requiredKeys: [] },
);

const leg: fc.Arbitrary<ToDeviceLeg> = fc.record(
  {
    device_id: id,
    sender_session_id: id,
    dest_session_id: id,
    seq: fc.nat(),
    room_id: fc.string({ minLength: 1, maxLength: 30 }).map((s) => `!${s}`),
    conf_id: id,
  },
  { requiredKeys: ['device_id', 'sender_session_id', 'dest_session_id', 'seq', 'room_id'] },
);

const envelope = fc.oneof(
  fc.record(
    { call_id: id, version: fc.constant('1' as const), party_id: id, leg },
    { requiredKeys: ['call_id', 'version'] },
  ),
  fc.record({ call_id: id, version: fc.constant(0 as const), leg }, { requiredKeys: ['call_id', 'version'] }),
);

const reason = fc.constantFrom<WireHangupReason>(
  'ice_failed',
  'invite_timeout',
  'user_hangup',
  'user_media_failed',
  'user_busy',
  'unknown_error',
  'ice_timeout',
);

const optional = { requiredKeys: [] as [] };
const body: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .record({
      offer: sdp.map((s) => ({ type: 'offer' as const, sdp: s })),
      lifetime: duration,
      extra: fc.record({ invitee: userId, sdp_stream_metadata: metadata, capabilities }, optional),
    })
    .map(({ extra, ...rest }) => ({ kind: 'invite', ...rest, ...extra })),
  fc.record({ candidates: fc.array(candidate, { maxLength: 6 }) }).map((b) => ({ kind: 'candidates', ...b })),
  fc
    .record({
      answer: sdp.map((s) => ({ type: 'answer' as const, sdp: s })),
      extra: fc.record({ sdp_stream_metadata: metadata, capabilities }, optional),
    })
    .map(({ extra, ...rest }) => ({ kind: 'answer', ...rest, ...extra })),
  id.map((selected) => ({ kind: 'select_answer', selected_party_id: selected })),
  fc.constant({ kind: 'reject' }),
  fc
    .record({
      description: fc.record({ type: fc.constantFrom('offer' as const, 'answer' as const), sdp }),
      extra: fc.record({ lifetime: duration, sdp_stream_metadata: metadata, capabilities }, optional),
    })
    .map(({ extra, ...rest }) => ({ kind: 'negotiate', ...rest, ...extra })),
  reason.map((r) => ({ kind: 'hangup', reason: r })),
  metadata.map((m) => ({ kind: 'metadata_changed', sdp_stream_metadata: m })),
);

const callEvent: fc.Arbitrary<CallEvent> = fc
  .tuple(envelope, body)
  .map(([env, b]) => ({ ...b, ...env }) as unknown as CallEvent);

const anyType = fc.oneof(fc.constantFrom(...ALL_CALL_EVENT_TYPES), fc.string());

function expectParsedShape(parsed: Parsed<unknown>, type: string): void {
  if (parsed.ok) return;
  expect(parsed.reason).to.be.a('string');
  expect(parsed.reason.length).to.be.within(1, 400);
  if (ALL_CALL_EVENT_TYPES.includes(type))
    expect(parsed.reason.startsWith(`${type}: `), parsed.reason).to.equal(true);
}

/** Build, go through JSON as the wire does, parse. */
function roundTrip(event: CallEvent): Parsed<CallEvent> {
  const wire = callEventContent(event);
  return parseCallEvent(wire.type, JSON.parse(JSON.stringify(wire.content)) as unknown);
}

describe('m.call.* parser (property)', function () {
  this.timeout(120_000);

  it('arbitrary JSON contents never make it throw; rejections name the type', () => {
    fc.assert(
      fc.property(anyType, fc.jsonValue({ maxDepth: 4 }), (type, content) => {
        expectParsedShape(parseCallEvent(type, content), type);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('arbitrary JavaScript values (undefined, -0, symbols, sparse arrays, ...) never make it throw', () => {
    fc.assert(
      fc.property(
        anyType,
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withSparseArray: true }),
        (type, content) => {
          expectParsedShape(parseCallEvent(type, content), type);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('every well-formed event built to wire JSON parses back equal', () => {
    fc.assert(
      fc.property(callEvent, (event) => {
        const parsed = roundTrip(event);
        expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
        expect(parsed.ok && parsed.value).to.deep.equal(event);
      }),
      { numRuns: RUNS },
    );
  });

  const fieldNames = [
    'call_id',
    'party_id',
    'version',
    'offer',
    'answer',
    'description',
    'lifetime',
    'invitee',
    'candidates',
    'selected_party_id',
    'reason',
    'sdp_stream_metadata',
    'org.matrix.msc3077.sdp_stream_metadata',
    'capabilities',
    'device_id',
    'sender_session_id',
    'dest_session_id',
    'seq',
    'room_id',
    'conf_id',
  ];

  it('a built event with one field replaced or removed: never throws, and what it accepts is stable', () => {
    fc.assert(
      fc.property(
        callEvent,
        fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 10 })),
        fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
        (event, field, value) => {
          const wire = callEventContent(event);
          const content = JSON.parse(JSON.stringify(wire.content)) as Record<string, unknown>;
          if (value === undefined) delete content[field];
          else content[field] = value;
          const parsed = parseCallEvent(wire.type, content);
          expectParsedShape(parsed, wire.type);
          if (parsed.ok) {
            const again = roundTrip(parsed.value);
            expect(again.ok && again.value, JSON.stringify(again)).to.deep.equal(parsed.value);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('hostile sizes are refused, not parsed: huge SDP, too many candidates or streams', () => {
    fc.assert(
      fc.property(
        callEvent,
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom('sdp' as const, 'candidates' as const, 'streams' as const),
        (event, over, what) => {
          const wire = callEventContent(event);
          const content = JSON.parse(JSON.stringify(wire.content)) as Record<string, unknown>;
          let type: string;
          let limit: string;
          if (what === 'sdp') {
            limit = 'offer.sdp is longer than';
            type = 'm.call.invite';
            content['offer'] = { type: 'offer', sdp: 'a'.repeat(CALL_EVENT_LIMITS.sdpChars + over) };
          } else if (what === 'candidates') {
            limit = 'candidates holds more than';
            type = 'm.call.candidates';
            content['candidates'] = Array.from({ length: CALL_EVENT_LIMITS.candidates + over }, () => ({
              candidate: '',
            }));
          } else {
            limit = 'sdp_stream_metadata describes more than';
            type = 'm.call.sdp_stream_metadata_changed';
            content['sdp_stream_metadata'] = Object.fromEntries(
              Array.from({ length: CALL_EVENT_LIMITS.streams + (over % 100) + 1 }, (_, i) => [
                `s${i}`,
                { purpose: 'm.usermedia' },
              ]),
            );
          }
          const parsed = parseCallEvent(type, content);
          expect(parsed.ok, `${what} over the limit by ${over}`).to.equal(false);
          expect(parsed.ok ? '' : parsed.reason)
            .to.contain(`${type}: `)
            .and.contain(limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('arbitrary envelopes never make parseReceivedCallEvent throw; accepted ones keep the sender', () => {
    const rawEnvelope = fc.record(
      {
        type: anyType,
        sender: fc.oneof(userId, fc.jsonValue({ maxDepth: 1 })),
        content: fc.oneof(
          callEvent.map((e) => callEventContent(e).content),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        event_id: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })),
        unsigned: fc.oneof(
          fc.record({ age: fc.oneof(fc.integer(), fc.jsonValue({ maxDepth: 1 })) }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        encrypted: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(rawEnvelope, fc.nat(), (raw, at) => {
        const parsed = parseReceivedCallEvent(raw as unknown as RawRoomEvent, at);
        if (parsed.ok) {
          expect(parsed.value.sender).to.equal(raw.sender);
          expect(parsed.value.receivedAt).to.equal(at);
          if ('event_id' in raw) expect(parsed.value.event.leg).to.equal(undefined);
          else expect(parsed.value.event.leg).to.not.equal(undefined);
        } else {
          expect(parsed.reason).to.be.a('string').and.not.equal('');
        }
      }),
      { numRuns: RUNS },
    );
  });
});
