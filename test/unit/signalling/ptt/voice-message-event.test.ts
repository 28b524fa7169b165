import { expect } from '@open-wc/testing';
import {
  buildVoiceMessageContent,
  parseVoiceMessage,
} from '../../../../src/signalling/ptt/voice-message-event.js';
import type { EncryptedFile } from '../../../../src/signalling/ptt/encrypted-file.js';
import type { RawRoomEvent } from '../../../../src/transport/transport.js';

const message = (content: unknown): RawRoomEvent => ({
  type: 'm.room.message',
  content,
  sender: '@a:x',
  event_id: '$e',
  room_id: '!r:x',
  origin_server_ts: 1,
});

const file: EncryptedFile = {
  url: 'mxc://x/abc',
  key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: 'a'.repeat(43), ext: true },
  iv: 'AAAAAAAAAAAAAAAAAAAAAA',
  hashes: { sha256: 'b'.repeat(43) },
  v: 'v2',
};

describe('voice message content', () => {
  it('builds a plain voice message that other clients recognise and parses it back', () => {
    const content = buildVoiceMessageContent({
      media: { url: 'mxc://x/plain' },
      mimetype: 'audio/ogg; codecs=opus',
      size: 1234,
      durationMs: 4210.4,
      waveform: [0, 512.6, 2000, -3],
      transmission: { turn: 4, deviceId: 'DEV', ts: 99 },
    });
    expect(content['msgtype']).to.equal('m.audio');
    expect(content['url']).to.equal('mxc://x/plain');
    expect(content['file']).to.equal(undefined);
    expect(content['org.matrix.msc3245.voice']).to.deep.equal({});
    expect(content['org.matrix.msc1767.audio']).to.deep.equal({
      duration: 4210,
      waveform: [0, 513, 1024, 0],
    });
    expect(content['info']).to.deep.equal({ mimetype: 'audio/ogg; codecs=opus', size: 1234, duration: 4210 });
    const parsed = parseVoiceMessage(message(content));
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.value.media).to.deep.equal({ url: 'mxc://x/plain' });
    expect(parsed.value.durationMs).to.equal(4210);
    expect(parsed.value.transmission).to.deep.equal({ turn: 4, deviceId: 'DEV', ts: 99 });
  });

  it('puts an encrypted file in `file` (never `url`) and parses it back', () => {
    const content = buildVoiceMessageContent({
      media: { file },
      mimetype: 'audio/webm',
      size: 10,
      durationMs: 1000,
      waveform: [],
    });
    expect(content['url']).to.equal(undefined);
    expect(content['file']).to.deep.equal(file);
    expect((content['org.matrix.msc1767.file'] as Record<string, unknown>)['name']).to.equal(
      'Voice message.webm',
    );
    const parsed = parseVoiceMessage(message(content));
    expect(parsed.ok && parsed.value.media).to.deep.equal({ file });
  });

  it('rejects text messages, non-voice audio and broken files', () => {
    expect(parseVoiceMessage(message({ msgtype: 'm.text', body: 'hi' })).ok).to.equal(false);
    expect(parseVoiceMessage(message({ msgtype: 'm.audio', body: 'a', url: 'mxc://x/y' })).ok).to.equal(
      false,
    );
    const broken = { msgtype: 'm.audio', 'org.matrix.msc3245.voice': {}, file: { ...file, v: 'v1' } };
    expect(parseVoiceMessage(message(broken))).to.deep.equal({ ok: false, reason: 'file.v must be v2' });
    expect(
      parseVoiceMessage(message({ msgtype: 'm.audio', 'org.matrix.msc3245.voice': {}, url: 'http://x' })).ok,
    ).to.equal(false);
  });
});
