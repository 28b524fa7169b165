import { expect } from '@open-wc/testing';
import { PlaybackArbiter, sharedPlaybackArbiter, type AudioSink } from '../../../src/ptt/playback-queue.js';

/** Audio output test double: logs what plays and lets the test end each file. */
class FakeSink implements AudioSink {
  readonly log: string[] = [];
  private ends: Array<() => void> = [];
  playStream(stream: MediaStream) {
    this.log.push(`live:${stream.id}`);
    return { stop: () => this.log.push(`stop-live:${stream.id}`) };
  }
  playFile(file: Blob) {
    const name = (file as File).name ?? 'blob';
    this.log.push(`file:${name}`);
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    this.ends.push(end);
    return {
      done,
      stop: () => {
        this.log.push(`stop-file:${name}`);
        this.ends = this.ends.filter((e) => e !== end);
        end();
      },
    };
  }
  /** Ends the file that is playing. */
  async finish() {
    this.ends.shift()?.();
    await settle();
  }
}

/** An output that can hold a file where it is. */
class PausingSink extends FakeSink {
  override playFile(file: Blob) {
    const name = (file as File).name ?? 'blob';
    return {
      ...super.playFile(file),
      pause: () => this.log.push(`pause:${name}`),
      resume: () => this.log.push(`resume:${name}`),
    };
  }
}

/** Manual timers for the recording wait. */
class Timers {
  private tasks: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  now = 0;
  schedule = (fn: () => void, ms: number) => {
    const task = { at: this.now + ms, fn, cancelled: false };
    this.tasks.push(task);
    return () => void (task.cancelled = true);
  };
  advance(ms: number) {
    this.now += ms;
    for (const t of this.tasks.filter((t) => !t.cancelled && t.at <= this.now)) {
      t.cancelled = true;
      t.fn();
    }
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const file = (name: string) => async () => new File(['x'], name, { type: 'audio/ogg' });
const stream = () => new MediaStream();

describe('PlaybackArbiter', () => {
  it('plays live audio when the output is free and skips its recording afterwards', async () => {
    const sink = new FakeSink();
    const arbiter = new PlaybackArbiter(sink);
    const s = stream();
    expect(arbiter.offerLive({ roomId: '!a', key: 't1' }, s)).to.equal('playing');
    expect(arbiter.current).to.deep.equal({ roomId: '!a', key: 't1', kind: 'live' });
    arbiter.endLive({ roomId: '!a', key: 't1' });
    expect(arbiter.offerRecording({ roomId: '!a', key: 't1' }, file('t1'))).to.equal('heard');
    await settle();
    expect(sink.log).to.deep.equal([`live:${s.id}`, `stop-live:${s.id}`]);
  });

  it('defers a transmission from another room while one plays, then plays its recording in order', async () => {
    const sink = new FakeSink();
    const arbiter = new PlaybackArbiter(sink);
    const a = stream();
    arbiter.offerLive({ roomId: '!a', key: 'a1' }, a);
    expect(arbiter.offerLive({ roomId: '!b', key: 'b1' }, stream())).to.equal('deferred');
    expect(arbiter.offerRecording({ roomId: '!b', key: 'b2' }, file('b2'))).to.equal('queued');
    expect(arbiter.queuedFor('!b')).to.equal(2);
    // b2's recording is there before b1's: order is kept, b1 first.
    arbiter.endLive({ roomId: '!a', key: 'a1' });
    await settle();
    expect(arbiter.current).to.equal(undefined); // b1's recording has not arrived yet
    arbiter.offerRecording({ roomId: '!b', key: 'b1' }, file('b1'));
    await settle();
    expect(arbiter.current).to.deep.equal({ roomId: '!b', key: 'b1', kind: 'recording' });
    await sink.finish();
    expect(arbiter.current?.key).to.equal('b2');
    await sink.finish();
    expect(arbiter.current).to.equal(undefined);
    expect(arbiter.queuedFor('!b')).to.equal(0);
    expect(sink.log.filter((l) => l.startsWith('file:'))).to.deep.equal(['file:b1', 'file:b2']);
  });

  it('plays nothing while the user talks and resumes the interrupted recording afterwards', async () => {
    const sink = new FakeSink();
    const arbiter = new PlaybackArbiter(sink);
    arbiter.offerRecording({ roomId: '!a', key: 'r1' }, file('r1'));
    await settle();
    expect(arbiter.current?.key).to.equal('r1');
    arbiter.setTalking('!b', true);
    expect(arbiter.current).to.equal(undefined);
    expect(arbiter.offerLive({ roomId: '!a', key: 'l2' }, stream())).to.equal('deferred');
    expect(arbiter.offerRecording({ roomId: '!a', key: 'r3' }, file('r3'))).to.equal('queued');
    expect(arbiter.queued.map((e) => e.key)).to.deep.equal(['r1', 'l2', 'r3']);
    arbiter.setTalking('!b', false);
    await settle();
    expect(arbiter.current?.key).to.equal('r1');
    expect(sink.log).to.deep.equal(['file:r1', 'stop-file:r1', 'file:r1']);
  });

  it('drops a deferred transmission whose recording never comes', async () => {
    const sink = new FakeSink();
    const timers = new Timers();
    const arbiter = new PlaybackArbiter(sink, { schedule: timers.schedule, recordingWaitMs: 1000 });
    arbiter.setTalking('!a', true);
    arbiter.offerLive({ roomId: '!b', key: 'gone' }, stream());
    arbiter.offerRecording({ roomId: '!b', key: 'next' }, file('next'));
    arbiter.setTalking('!a', false);
    await settle();
    expect(arbiter.current).to.equal(undefined); // waiting for "gone"
    timers.advance(1000);
    await settle();
    expect(arbiter.current?.key).to.equal('next');
  });

  it('skips a recording that fails to load, and forgets a closed room', async () => {
    const sink = new FakeSink();
    const arbiter = new PlaybackArbiter(sink);
    arbiter.setTalking('!x', true);
    arbiter.offerRecording({ roomId: '!a', key: 'bad' }, () => Promise.reject(new Error('404')));
    arbiter.offerRecording({ roomId: '!b', key: 'b' }, file('b'));
    arbiter.offerRecording({ roomId: '!a', key: 'good' }, file('good'));
    arbiter.stopRoom('!b');
    expect(arbiter.queuedFor('!b')).to.equal(0);
    let changes = 0;
    arbiter.addEventListener('change', () => changes++);
    arbiter.setTalking('!x', false);
    await settle();
    await settle();
    expect(arbiter.current?.key).to.equal('good');
    expect(changes).to.be.greaterThan(0);
  });

  it('play: a picked recording starts at once; the unheard one it interrupts plays next, a heard one does not', async () => {
    const sink = new FakeSink();
    const arbiter = new PlaybackArbiter(sink);
    arbiter.offerRecording({ roomId: '!a', key: 'r1' }, file('r1'));
    arbiter.offerRecording({ roomId: '!a', key: 'r2' }, file('r2'));
    await settle();
    expect(arbiter.stateOf({ roomId: '!a', key: 'r1' })).to.equal('playing');
    expect(arbiter.stateOf({ roomId: '!a', key: 'r2' })).to.equal('queued');
    expect(arbiter.stateOf({ roomId: '!a', key: 'old' })).to.equal('none');
    arbiter.play({ roomId: '!a', key: 'old' }, file('old'));
    await settle();
    expect(arbiter.current?.key).to.equal('old');
    expect(arbiter.queued.map((e) => e.key)).to.deep.equal(['r1', 'r2']);
    await sink.finish();
    expect(arbiter.stateOf({ roomId: '!a', key: 'old' })).to.equal('heard');
    expect(arbiter.current?.key).to.equal('r1');
    await sink.finish();
    // r2 plays; picking r1 again (heard) interrupts r2, which goes back to the front.
    arbiter.play({ roomId: '!a', key: 'r1' }, file('r1'));
    await settle();
    expect(arbiter.current?.key).to.equal('r1');
    expect(arbiter.queued.map((e) => e.key)).to.deep.equal(['r2']);
    await sink.finish();
    await sink.finish();
    expect(arbiter.current).to.equal(undefined);
    expect(arbiter.queued).to.deep.equal([]);
    expect(sink.log.filter((l) => l.startsWith('file:'))).to.deep.equal([
      'file:r1',
      'file:old',
      'file:r1',
      'file:r2',
      'file:r1',
      'file:r2',
    ]);
  });

  it('pause holds the recording where it is and starts nothing queued; play resumes it', async () => {
    const sink = new PausingSink();
    const arbiter = new PlaybackArbiter(sink);
    arbiter.offerRecording({ roomId: '!a', key: 'r1' }, file('r1'));
    await settle();
    arbiter.offerRecording({ roomId: '!a', key: 'r2' }, file('r2'));
    arbiter.pause('!b'); // another room's pause does nothing here
    expect(arbiter.current?.key).to.equal('r1');
    arbiter.pause('!a');
    expect(arbiter.current).to.equal(undefined);
    expect(arbiter.stateOf({ roomId: '!a', key: 'r1' })).to.equal('paused');
    await settle();
    expect(arbiter.current, 'nothing queued starts while paused').to.equal(undefined);
    // Live audio still plays when nothing waits; here r2 waits, so it is deferred.
    expect(arbiter.offerLive({ roomId: '!a', key: 'l3' }, stream())).to.equal('deferred');
    arbiter.play({ roomId: '!a', key: 'r1' }, file('r1'));
    await settle();
    expect(arbiter.current?.key).to.equal('r1');
    expect(sink.log).to.deep.equal(['file:r1', 'pause:r1', 'resume:r1']);
    await sink.finish();
    expect(arbiter.stateOf({ roomId: '!a', key: 'r1' })).to.equal('heard');
    expect(arbiter.current?.key).to.equal('r2');
  });

  it('pause on an output that cannot hold a position stops the file; play starts it again from the start', async () => {
    const sink = new FakeSink();
    const arbiter = new PlaybackArbiter(sink);
    arbiter.offerRecording({ roomId: '!a', key: 'r1' }, file('r1'));
    await settle();
    arbiter.pause('!a');
    await settle();
    expect(arbiter.stateOf({ roomId: '!a', key: 'r1' }), 'the stopped file does not count as heard').to.equal(
      'paused',
    );
    arbiter.play({ roomId: '!a', key: 'r1' }, file('r1'));
    await settle();
    expect(arbiter.current?.key).to.equal('r1');
    expect(sink.log).to.deep.equal(['file:r1', 'stop-file:r1', 'file:r1']);
  });

  it('one module-level arbiter serves every room', () => {
    const first = sharedPlaybackArbiter(new FakeSink());
    const second = sharedPlaybackArbiter(new FakeSink());
    expect(second).to.equal(first);
  });
});
