import { expect } from '@open-wc/testing';
import { computeWaveform } from '../../../src/ptt/waveform.js';
import { analyseAudio, prepareVoiceMessage } from '../../../src/ptt/voice-message.js';
import { startRecording } from '../../../src/ptt/recorder.js';
import { decryptAttachment } from '../../../src/ptt/attachment-crypto.js';
import { parseVoiceMessage } from '../../../src/signalling/ptt/voice-message-event.js';
import type { RawRoomEvent } from '../../../src/transport/transport.js';

/** Homeserver media repository test double: keeps uploads in memory under mxc URIs. */
class MediaStore {
  readonly files = new Map<string, Blob>();
  upload = async (file: Blob) => {
    const uri = `mxc://test.invalid/${this.files.size + 1}`;
    this.files.set(uri, file);
    return { content_uri: uri };
  };
}

const asEvent = (content: unknown): RawRoomEvent => ({
  type: 'm.room.message',
  content,
  sender: '@a:x',
  event_id: '$e',
  room_id: '!r:x',
  origin_server_ts: 1,
});

async function recordMic(ms: number) {
  const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
  const handle = startRecording(mic);
  await new Promise((r) => setTimeout(r, ms));
  const recording = await handle.stop();
  mic.getTracks().forEach((t) => t.stop());
  return recording;
}

describe('voice messages', () => {
  it('computes an MSC3246 waveform: 30..120 points in 0..1024 that follow the level', () => {
    const samples = new Float32Array(48_000);
    for (let i = 0; i < samples.length; i++) samples[i] = Math.sin(i / 5) * (i < 24_000 ? 0.1 : 0.8);
    const wave = computeWaveform(samples, 100);
    expect(wave).to.have.length(100);
    expect(wave.every((v) => Number.isInteger(v) && v >= 0 && v <= 1024)).to.equal(true);
    expect(Math.max(...wave)).to.equal(1024);
    expect(wave[10]!).to.be.lessThan(200);
    expect(wave[90]!).to.be.greaterThan(900);
    expect(computeWaveform(samples, 5)).to.have.length(30);
    expect(computeWaveform(samples, 500)).to.have.length(120);
    expect(computeWaveform(new Float32Array(1000))).to.deep.equal(Array(100).fill(0));
    expect(computeWaveform(new Float32Array(0))).to.have.length(100);
  });

  it('posts a plain recording under `url` with duration and waveform that match the audio', async () => {
    const recording = await recordMic(1000);
    const store = new MediaStore();
    const content = await prepareVoiceMessage({
      ...recording,
      recording: recording.blob,
      encrypted: false,
      upload: store.upload,
    });
    const parsed = parseVoiceMessage(asEvent(content));
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok || !('url' in parsed.value.media)) throw new Error('expected a plain voice message');
    const uploaded = store.files.get(parsed.value.media.url)!;
    const analysis = await analyseAudio(await uploaded.arrayBuffer());
    expect(parsed.value.durationMs).to.equal(analysis.durationMs);
    expect(parsed.value.durationMs).to.be.greaterThan(500);
    expect(parsed.value.waveform.length).to.be.within(30, 120);
    expect(parsed.value.size).to.equal(recording.blob.size);
    expect(content['org.matrix.msc3245.voice']).to.deep.equal({});
  });

  it('in an encrypted room uploads only ciphertext, and the file decrypts and decodes', async () => {
    const recording = await recordMic(1000);
    const store = new MediaStore();
    const content = await prepareVoiceMessage({
      recording: recording.blob,
      mimeType: recording.mimeType,
      durationMs: recording.durationMs,
      encrypted: true,
      upload: store.upload,
      transmission: { turn: 3, deviceId: 'DEV', ts: 42 },
    });
    expect(content['url']).to.equal(undefined);
    const parsed = parseVoiceMessage(asEvent(JSON.parse(JSON.stringify(content))));
    if (!parsed.ok || !('file' in parsed.value.media)) throw new Error('expected an encrypted voice message');
    expect(parsed.value.transmission).to.deep.equal({ turn: 3, deviceId: 'DEV', ts: 42 });
    const { file } = parsed.value.media;
    const uploaded = store.files.get(file.url)!;
    expect(uploaded.type).to.equal('application/octet-stream');
    const ciphertext = new Uint8Array(await uploaded.arrayBuffer());
    const original = new Uint8Array(await recording.blob.arrayBuffer());
    expect(ciphertext.length).to.equal(original.length);
    expect(ciphertext.slice(0, 16).join()).to.not.equal(original.slice(0, 16).join());
    // What the server holds does not decode as audio.
    await analyseAudio(ciphertext.buffer).then(
      () => expect.fail('ciphertext must not decode'),
      () => undefined,
    );
    const plain = await decryptAttachment(ciphertext, file);
    if (!plain.ok) throw new Error(plain.reason);
    expect(plain.value.join()).to.equal(original.join());
    const analysis = await analyseAudio(plain.value.buffer);
    expect(analysis.durationMs).to.be.greaterThan(500);
    expect(parsed.value.durationMs).to.equal(analysis.durationMs);
  });
});
