/**
 * Recordings of transmissions: the voice message a release posts (plain and in an encrypted room), the
 * received ones queued for playback, and opt-ins whose expiry stops delivery.
 */
import { expect } from '@open-wc/testing';
import { decryptAttachment } from '../../../src/ptt/attachment-crypto.js';
import { parseVoiceMessage } from '../../../src/signalling/ptt/voice-message-event.js';
import { PTT_OPT_IN } from '../../../src/signalling/ptt/event-types.js';
import type { RawRoomEvent } from '../../../src/transport/transport.js';
import { FakeClock } from '../../support/fake-clock.js';
import { ALICE, BOB, CAROL, LoopbackFastPath, PttRoom, everyoneOptedIn, sleep, waitFor } from './ptt-room.js';

async function decodes(data: ArrayBuffer): Promise<AudioBuffer> {
  const context = new OfflineAudioContext(1, 1, 48_000);
  return context.decodeAudioData(data.slice(0));
}

async function talkFor(device: Awaited<ReturnType<PttRoom['device']>>, ms: number) {
  device.engine.press();
  await waitFor(() => device.engine.view.floor === 'talking', 'the device to talk');
  const claim = device.engine.floorSnapshot.ownClaim!;
  await sleep(ms);
  device.engine.release();
  await device.engine.settled();
  return claim;
}

describe('walkie-talkie recordings', () => {
  let room: PttRoom;
  afterEach(() => room.dispose());

  it('posts the transmission as a voice message whose file decodes, and others queue it for playback', async () => {
    room = new PttRoom();
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    const c = await room.device(CAROL, 'C');
    await everyoneOptedIn([a, b, c]);
    const claim = await talkFor(a, 1_200);

    await waitFor(() => room.sent('m.room.message', ALICE).length === 1, 'the voice message');
    const event = room.sent('m.room.message', ALICE)[0]!;
    const content = event.content as Record<string, unknown>;
    expect(content['msgtype']).to.equal('m.audio');
    expect(content['org.matrix.msc3245.voice']).to.deep.equal({});
    const audio = content['org.matrix.msc1767.audio'] as { duration: number; waveform: number[] };
    expect(audio.duration).to.be.within(600, 5_000);
    expect(audio.waveform.length).to.be.within(30, 120);
    expect(audio.waveform.every((p) => Number.isInteger(p) && p >= 0 && p <= 1024)).to.equal(true);
    expect(content['file'], 'a plain room gets a plain url').to.equal(undefined);
    const parsed = parseVoiceMessage(event);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.transmission).to.deep.equal({ turn: claim.turn, deviceId: 'A', ts: claim.ts });
    const url = (content as { url: string }).url;
    const decoded = await decodes(await room.homeserver.download(url)!.arrayBuffer());
    expect(decoded.duration).to.be.greaterThan(0.5);

    // Bob and Carol each play it once from their own output; Alice does not play her own.
    for (const d of [b, c]) await waitFor(() => d.sink.files.length === 1, 'the recording to play');
    expect(a.sink.files).to.have.length(0);
    const played = await decodes(await b.sink.files[0]!.arrayBuffer());
    expect(played.duration).to.be.greaterThan(0.5);
  });

  it('encrypts the file in an encrypted room; the event carries the key, iv and sha256 that decrypt it', async () => {
    room = new PttRoom({ encrypted: true });
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    expect(a.engine.isEncryptedRoom).to.equal(true);
    await talkFor(a, 1_000);

    await waitFor(() => room.sent('m.room.message', ALICE).length === 1, 'the voice message');
    const event = room.sent('m.room.message', ALICE)[0]!;
    const content = event.content as Record<string, unknown>;
    expect(content['url'], 'no plaintext url in an encrypted room').to.equal(undefined);
    const parsed = parseVoiceMessage(event);
    if (!parsed.ok) throw new Error(parsed.reason);
    if (!('file' in parsed.value.media)) throw new Error('expected an encrypted file');
    const file = parsed.value.media.file;
    expect(file.v).to.equal('v2');
    const ciphertext = await room.homeserver.download(file.url)!.arrayBuffer();
    let plainDecoded = true;
    await decodes(ciphertext).catch(() => (plainDecoded = false));
    expect(plainDecoded, 'the server holds only ciphertext').to.equal(false);
    const plain = await decryptAttachment(ciphertext, file);
    if (!plain.ok) throw new Error(plain.reason);
    expect((await decodes(plain.value.buffer)).duration).to.be.greaterThan(0.4);
    const tampered = new Uint8Array(ciphertext);
    tampered[0] = tampered[0]! ^ 1;
    expect((await decryptAttachment(tampered, file)).ok, 'a changed file is refused').to.equal(false);

    await waitFor(() => b.sink.files.length === 1, 'Bob to play the decrypted recording');
    expect((await decodes(await b.sink.files[0]!.arrayBuffer())).duration).to.be.greaterThan(0.4);
  });

  it('queues recordings that arrive while this device talks and plays them after', async () => {
    room = new PttRoom();
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    await talkFor(a, 700);
    await waitFor(() => room.sent('m.room.message', ALICE).length === 1, "Alice's voice message");
    await waitFor(() => b.sink.files.length === 1, 'Bob to play it');

    // Bob talks; Alice's next recording arrives meanwhile (posted by hand with her transport's upload).
    b.engine.press();
    await waitFor(() => b.engine.view.floor === 'talking', 'Bob to talk');
    const first = room.sent('m.room.message', ALICE)[0]!;
    await a.transport.sendRoomEvent('m.room.message', {
      ...(first.content as object),
      'org.matrix.msc4002.transmission': { turn: 99, device_id: 'A', ts: 1 },
    });
    await waitFor(() => b.engine.view.queuedRecordings === 1, 'the recording to wait in the queue');
    expect(b.sink.files, 'nothing plays while Bob talks').to.have.length(1);
    b.engine.release();
    await waitFor(() => b.sink.files.length === 2, 'the queued recording to play after Bob let go');
    await waitFor(() => b.engine.view.queuedRecordings === 0, 'the queue to empty');
    await b.engine.settled();
  });

  it('stops delivery to a device whose opt-in expired: no live audio, no recordings, not counted', async () => {
    room = new PttRoom();
    const clock = new FakeClock(Date.now());
    const fast = new LoopbackFastPath();
    const a = await room.device(ALICE, 'A', { clock, fastPath: fast });
    const b = await room.device(BOB, 'B', { clock, fastPath: fast });
    const c = await room.device(CAROL, 'C', { clock, fastPath: fast });
    await Promise.all([a.engine.setOptIn(true), c.engine.setOptIn(true)]);
    await b.engine.setOptIn(true, { expiresInMs: 5_000 });
    await waitFor(() => a.engine.listeners.length === 2 && c.engine.listeners.length === 2, 'the opt-ins');
    expect(b.engine.view.optInExpiresAt).to.equal(clock.now() + 5_000);
    const bobState = room.homeserver.state(room.roomId, PTT_OPT_IN, '_@bob:test.invalid_B')[0]!;
    expect((bobState.content as { expires_ts: number }).expires_ts).to.equal(clock.now() + 5_000);

    a.engine.press();
    await stepClock(clock, 500);
    expect(a.engine.view.floor).to.equal('talking');
    await waitFor(() => a.fastPath!.sendingTo.length === 2, 'Alice to send live audio to Bob and Carol');
    await waitFor(() => b.sink.streams.length === 1 && c.sink.streams.length === 1, 'both to play it live');

    await stepClock(clock, 5_000);
    expect(b.engine.view.optedIn).to.equal(false);
    expect(b.engine.view.floor, 'an expired opt-in cannot send either').to.equal('off');
    expect(a.engine.listeners.map((d) => d.userId)).to.deep.equal([CAROL]);
    expect(
      a.fastPath!.sendingTo.map((d) => d.userId),
      'live audio goes to Carol only',
    ).to.deep.equal([CAROL]);
    expect(b.playback.current, 'Bob stopped playing at once').to.equal(undefined);

    await sleep(400);
    a.engine.release();
    await a.engine.settled();
    await waitFor(() => room.sent('m.room.message', ALICE).length === 1, 'the voice message');
    const message = room.sent('m.room.message', ALICE)[0] as RawRoomEvent;
    const parsed = parseVoiceMessage(message);
    if (!parsed.ok) throw new Error(parsed.reason);
    // Carol heard it live, so the recording is not played again; Bob is no longer reached at all.
    await sleep(200);
    expect(c.sink.files).to.have.length(0);
    expect(c.playback.queued).to.have.length(0);
    expect(b.sink.files).to.have.length(0);
    expect(b.playback.queued).to.have.length(0);
    expect(parsed.value.transmission?.turn).to.equal(1);
  });
});

async function stepClock(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await clock.advance(Math.min(step, ms - done));
    await sleep(2);
  }
}
