import { expect } from '@open-wc/testing';
import type {
  GroupCallBackend,
  GroupCallBackendContext,
  GroupCallBackendFactory,
} from '../../../src/group/group-call-backend.js';
import { lazyBackendFactory } from '../../../src/group/lazy-backend.js';
import type { CallKind, GroupCallView } from '../../../src/snapshot.js';

/** A recording test double of a backend: it logs every call and can publish a new view. */
class RecordingBackend extends EventTarget implements GroupCallBackend {
  readonly calls: string[] = [];
  view: GroupCallView = Object.freeze({ state: 'idle', backend: 'livekit', ongoing: true, participants: [] });
  error = undefined;
  membershipEventId = '$member';
  async start() {
    this.calls.push('start');
  }
  async join(kind: CallKind) {
    this.calls.push(`join ${kind}`);
    this.view = { ...this.view, state: 'joined' };
    this.dispatchEvent(new Event('change'));
  }
  async leave() {
    this.calls.push('leave');
  }
  dispose() {
    this.calls.push('dispose');
  }
  async setMicMuted(muted: boolean) {
    this.calls.push(`mic ${muted}`);
  }
  async setCameraMuted(muted: boolean) {
    this.calls.push(`camera ${muted}`);
  }
  async setScreenSharing(sharing: boolean) {
    this.calls.push(`screen ${sharing}`);
  }
  setParticipantVolume(userId: string, deviceId: string, volume: number) {
    this.calls.push(`volume ${userId} ${deviceId} ${volume}`);
  }
}

const context = {} as GroupCallBackendContext;

describe('lazyBackendFactory', () => {
  it('shows an idle view until loaded, then forwards everything to the backend the loaded factory made', async () => {
    const made: RecordingBackend[] = [];
    let loads = 0;
    const factory = lazyBackendFactory(
      async () => {
        loads++;
        return ((ctx: GroupCallBackendContext) => {
          expect(ctx).to.equal(context);
          const backend = new RecordingBackend();
          made.push(backend);
          return backend;
        }) as GroupCallBackendFactory;
      },
      'livekit',
      true,
    );
    expect(factory.preferredForNewCalls).to.equal(true);

    const lazy = factory(context);
    expect(lazy.view).to.deep.equal({ state: 'idle', backend: 'livekit', ongoing: false, participants: [] });
    expect(loads, 'nothing loads before start').to.equal(0);
    await lazy.setMicMuted(true); // before loading: nothing to do, and no throw
    let changes = 0;
    lazy.addEventListener('change', () => changes++);

    await lazy.start();
    expect(loads).to.equal(1);
    expect(lazy.view.ongoing).to.equal(true);
    await lazy.join('video');
    expect(lazy.view.state).to.equal('joined');
    expect(changes, 'loading and the join both announced').to.be.at.least(2);
    expect(lazy.membershipEventId).to.equal('$member');
    await lazy.setCameraMuted(true);
    await lazy.setScreenSharing(false);
    lazy.setParticipantVolume('@b:x', 'B', 0.5);
    await lazy.leave();
    lazy.dispose();
    expect(made).to.have.length(1);
    expect(made[0]!.calls).to.deep.equal([
      'start',
      'join video',
      'camera true',
      'screen false',
      'volume @b:x B 0.5',
      'leave',
      'dispose',
    ]);

    // A second backend from the same factory reuses the loaded code.
    await factory(context).start();
    expect(loads).to.equal(1);
  });

  it('a failed load rejects start with the loader’s error, and the next try loads again', async () => {
    let attempt = 0;
    const factory = lazyBackendFactory(async () => {
      attempt++;
      if (attempt === 1) throw new Error('chunk failed to load');
      return (() => new RecordingBackend()) as GroupCallBackendFactory;
    }, 'livekit');
    expect(factory.preferredForNewCalls).to.equal(false);
    const lazy = factory(context);
    let failure: unknown;
    await lazy.start().catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('chunk failed to load');
    expect(lazy.view.state).to.equal('idle');
    await lazy.join('voice');
    expect(lazy.view.state).to.equal('joined');
    expect(attempt).to.equal(2);
  });

  it('disposed before the code arrives: no backend is made and start rejects', async () => {
    let made = 0;
    const factory = lazyBackendFactory(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return (() => {
        made++;
        return new RecordingBackend();
      }) as GroupCallBackendFactory;
    }, 'mesh');
    const lazy = factory(context);
    const starting = lazy.start();
    lazy.dispose();
    let failure: unknown;
    await starting.catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('disposed');
    expect(made).to.equal(0);
  });
});
