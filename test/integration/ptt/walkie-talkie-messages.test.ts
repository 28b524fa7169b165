/**
 * The channel's list of recent transmissions, with real engines, the fake microphone and real recordings:
 * each transmission listed once (sender, time, duration, state) on every device, replayed on request, a late
 * joiner's list filled from the room's history without playing it, and voice messages from people never
 * opted in left out.
 */
import { expect } from '@open-wc/testing';
import { ALICE, BOB, CAROL, PttRoom, everyoneOptedIn, sleep, waitFor, type Device } from './ptt-room.js';

async function talkFor(device: Device, ms: number): Promise<void> {
  device.engine.press();
  await waitFor(() => device.engine.view.floor === 'talking', 'the device to talk');
  await sleep(ms);
  device.engine.release();
  await device.engine.settled();
}

const list = (d: Device) => d.engine.view.transmissions ?? [];

describe('walkie-talkie message list', () => {
  let room: PttRoom;
  afterEach(() => room.dispose());

  it('lists each transmission on every device with sender, time, duration and state; a listener replays one', async () => {
    room = new PttRoom();
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    const before = Date.now();
    await talkFor(a, 900);
    await waitFor(() => list(b).length === 1 && list(a).length === 1, 'the transmission in both lists');
    const event = room.sent('m.room.message', ALICE)[0]!;

    const heard = list(b)[0]!;
    expect(heard.id).to.equal(event.event_id);
    expect(heard.sender.userId).to.equal(ALICE);
    expect(heard.own).to.equal(false);
    expect(heard.sentAt).to.be.within(before - 1_000, Date.now() + 1_000);
    expect(heard.durationMs).to.be.within(400, 5_000);
    await waitFor(() => list(b)[0]!.state === 'played', 'Bob to have played it by itself');
    expect(b.sink.files).to.have.length(1);

    const spoken = list(a)[0]!;
    expect(spoken.own, 'Alice sees her own transmission').to.equal(true);
    expect(spoken.state, 'Alice heard it as she spoke').to.equal('played');
    expect(a.sink.files).to.have.length(0);

    expect(b.engine.play(heard.id)).to.equal(true);
    await waitFor(() => b.sink.files.length === 2, 'the replay');
    expect(await b.sink.files[1]!.arrayBuffer()).to.deep.equal(await b.sink.files[0]!.arrayBuffer());
    expect(b.engine.play('$not-listed')).to.equal(false);
  });

  it('a late joiner lists what was said before it came, unplayed and not played by itself, and plays one on request', async () => {
    room = new PttRoom();
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    await talkFor(a, 700);
    await talkFor(b, 700);
    await waitFor(() => room.sent('m.room.message').length === 2, 'both voice messages');

    const c = await room.device(CAROL, 'C');
    await c.engine.setOptIn(true);
    await waitFor(() => list(c).length === 2, "Carol's list from the history");
    expect(list(c).map((t) => t.sender.userId)).to.deep.equal([ALICE, BOB]);
    expect(list(c).map((t) => t.state)).to.deep.equal(['unplayed', 'unplayed']);
    await sleep(50);
    expect(c.sink.files, 'history does not play by itself').to.have.length(0);
    expect(c.engine.view.queuedRecordings).to.equal(0);

    c.engine.play(list(c)[0]!.id);
    await waitFor(() => c.sink.files.length === 1, 'the missed message to play');
    await waitFor(() => list(c)[0]!.state === 'played', 'it to count as played');
    expect(list(c)[1]!.state).to.equal('unplayed');
  });

  it('leaves out voice messages of people never opted in, live and from the history', async () => {
    room = new PttRoom();
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    await talkFor(a, 600);
    await waitFor(() => list(b).length === 1, "Alice's message listed");
    const content = room.sent('m.room.message', ALICE)[0]!.content as object;
    // Carol never opted in; she posts a copy of the voice message naming a device of her own.
    const carol = await room.device(CAROL, 'C');
    await carol.transport.sendRoomEvent('m.room.message', {
      ...content,
      'org.matrix.msc4002.transmission': { turn: 7, device_id: 'C', ts: Date.now() },
    });
    await waitFor(() => room.sent('m.room.message', CAROL).length === 1, "Carol's message in the room");
    await sleep(50);
    expect(list(b)).to.have.length(1);
    expect(b.engine.rejected.some((r) => r.sender === CAROL)).to.equal(true);

    const late = await room.device(BOB, 'B2');
    await waitFor(() => list(late).length === 1, 'the late device to read the history');
    await sleep(50);
    expect(list(late).map((t) => t.sender.userId)).to.deep.equal([ALICE]);
  });
});
