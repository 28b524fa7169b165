/**
 * Wire samples of m.call.* contents for the parser and builder tests: the examples of the spec's
 * VoIP module, and contents shaped exactly as matrix-js-sdk's MatrixCall.sendVoipEvent and
 * sendCandidateQueue write them (src/webrtc/call.ts), including its to-device leg fields.
 */

export const SDP_OFFER =
  'v=0\r\no=- 6584580628695956864 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n' +
  'm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n' +
  'a=msid:314159265358 track-a\r\na=rtpmap:111 opus/48000/2\r\n';
export const SDP_ANSWER = SDP_OFFER.replace('a=sendrecv', 'a=recvonly');

export const HOST_CANDIDATE = 'candidate:863018703 1 udp 2122260223 10.9.64.156 43670 typ host generation 0';

/** The spec's examples (client-server API, VoIP module, v1.x event schemas). */
export const spec = {
  invite: {
    call_id: '12345',
    invitee: '@bob:example.org',
    lifetime: 60000,
    offer: { sdp: SDP_OFFER, type: 'offer' },
    party_id: '67890',
    sdp_stream_metadata: {
      '271828182845': { purpose: 'm.screenshare' },
      '314159265358': { purpose: 'm.usermedia' },
    },
    version: '1',
  },
  candidates: {
    call_id: '12345',
    candidates: [{ candidate: HOST_CANDIDATE, sdpMLineIndex: 0, sdpMid: 'audio' }],
    party_id: '67890',
    version: '1',
  },
  answer: {
    answer: { sdp: SDP_ANSWER, type: 'answer' },
    call_id: '12345',
    party_id: '67890',
    sdp_stream_metadata: {
      '271828182845': { purpose: 'm.usermedia', audio_muted: false, video_muted: true },
    },
    version: '1',
  },
  selectAnswer: { call_id: '12345', party_id: '67890', selected_party_id: '111213', version: '1' },
  reject: { call_id: '12345', party_id: '67890', version: '1' },
  negotiate: {
    call_id: '12345',
    description: { sdp: SDP_OFFER, type: 'offer' },
    lifetime: 10000,
    party_id: '67890',
    sdp_stream_metadata: {
      '314159265358': { purpose: 'm.usermedia', audio_muted: true, video_muted: false },
    },
    version: '1',
  },
  hangup: { call_id: '12345', party_id: '67890', reason: 'user_hangup', version: '1' },
  metadataChanged: {
    call_id: '1414213562373095',
    party_id: '1732050807568877',
    sdp_stream_metadata: { '2311546231': { audio_muted: false, purpose: 'm.usermedia', video_muted: true } },
    version: '1',
  },
  /** The version 0 invite of the spec before MSC2746. */
  inviteV0: { call_id: '12345', lifetime: 60000, offer: { sdp: SDP_OFFER, type: 'offer' }, version: 0 },
} as const;

const JS_SDK_METADATA = 'org.matrix.msc3077.sdp_stream_metadata';

/** What matrix-js-sdk's MatrixCall writes for a 1:1 call in a room (conf_id undefined drops out of JSON). */
export const jsSdk = {
  invite: {
    lifetime: 60000,
    offer: { sdp: SDP_OFFER, type: 'offer' },
    capabilities: { 'm.call.transferee': false, 'm.call.dtmf': false },
    [JS_SDK_METADATA]: {
      'stream-1': { purpose: 'm.usermedia', audio_muted: false, video_muted: false },
    },
    version: '1',
    call_id: '1732000000000abcdefghijkl',
    party_id: 'JSDKDEVICE',
  },
  candidates: {
    candidates: [
      { candidate: HOST_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'Ufr4' },
      { candidate: '' },
    ],
    version: '1',
    call_id: '1732000000000abcdefghijkl',
    party_id: 'JSDKDEVICE',
  },
  answer: {
    answer: { sdp: SDP_ANSWER, type: 'answer' },
    [JS_SDK_METADATA]: { 'stream-2': { purpose: 'm.usermedia', audio_muted: false, video_muted: true } },
    capabilities: { 'm.call.transferee': false, 'm.call.dtmf': false },
    version: '1',
    call_id: '1732000000000abcdefghijkl',
    party_id: 'CALLEEDEVICE',
  },
  /** reject() toward a v1 opponent: no reason. */
  reject: { version: '1', call_id: '1732000000000abcdefghijkl', party_id: 'CALLEEDEVICE' },
  /** hangup(UserHangup) toward a version 0 opponent: the reason is left out. */
  hangupNoReason: { version: '1', call_id: '1732000000000abcdefghijkl', party_id: 'JSDKDEVICE' },
  hangupAnsweredElsewhere: {
    reason: 'answered_elsewhere',
    version: '1',
    call_id: '1732000000000abcdefghijkl',
    party_id: 'JSDKDEVICE',
  },
  /** Sent under org.matrix.call.sdp_stream_metadata_changed. */
  metadataChanged: {
    [JS_SDK_METADATA]: { 'stream-1': { purpose: 'm.usermedia', audio_muted: true, video_muted: false } },
    version: '1',
    call_id: '1732000000000abcdefghijkl',
    party_id: 'JSDKDEVICE',
  },
  /** A to-device leg of a mesh group call, as sendVoipEvent writes it, plus room_id (famedly's rule). */
  toDeviceInvite: {
    lifetime: 60000,
    offer: { sdp: SDP_OFFER, type: 'offer' },
    version: '1',
    call_id: 'leg-call-1',
    party_id: 'JSDKDEVICE',
    conf_id: 'group-call-id',
    device_id: 'JSDKDEVICE',
    sender_session_id: 'session-a',
    dest_session_id: 'session-b',
    seq: 0,
    room_id: '!room:example.org',
    'org.matrix.msgid': '2f1e4b7a-uuid',
  },
} as const;
