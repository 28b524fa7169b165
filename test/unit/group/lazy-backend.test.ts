import { expect } from '@open-wc/testing';
import type {
  GroupCallBackendContext,
  GroupCallBackendFactory,
  SfuLiveAudio,
} from '../../../src/group/group-call-backend.js';
import { lazyBackendFactory } from '../../../src/group/lazy-backend.js';
import { RecordingGroupBackend } from '../../support/recording-group-backend.js';

const context = {} as GroupCallBackendContext;

describe('lazyBackendFactory', () => {
  it('shows an idle view until loaded, then forwards everything to the backend the loaded factory made', async () => {
    const made: RecordingGroupBackend[] = [];
    let loads = 0;
    const factory = lazyBackendFactory(
      async () => {
        loads++;
        return ((ctx: GroupCallBackendContext) => {
          expect(ctx).to.equal(context);
          const backend = new RecordingGroupBackend({ ongoing: true }, '$member');
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
      return (() => new RecordingGroupBackend()) as GroupCallBackendFactory;
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
        return new RecordingGroupBackend();
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

  it('exposes the backend it loaded as `loaded`, undefined until the code has arrived', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const made: RecordingGroupBackend[] = [];
    const factory = lazyBackendFactory(async () => {
      await gate;
      return (() => {
        const backend = new RecordingGroupBackend();
        made.push(backend);
        return backend;
      }) as GroupCallBackendFactory;
    }, 'livekit');
    const lazy = factory(context) as ReturnType<typeof factory> & { readonly loaded?: unknown };
    expect(lazy.loaded).to.equal(undefined);
    let loadedAtChange: unknown = 'no change yet';
    lazy.addEventListener('change', () => (loadedAtChange = lazy.loaded), { once: true });
    const starting = lazy.start();
    expect(lazy.loaded, 'still loading').to.equal(undefined);
    release();
    await starting;
    expect(made).to.have.length(1);
    expect(lazy.loaded).to.equal(made[0]);
    expect(loadedAtChange, 'the change event comes with the backend in place').to.equal(made[0]);
  });

  it("exposes the loaded backend's liveAudio part: null until the code has arrived, then the backend's own", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const part = { kind: 'sfu' } as unknown as SfuLiveAudio;
    const factory = lazyBackendFactory(async () => {
      await gate;
      return (() =>
        Object.assign(new RecordingGroupBackend(), {
          liveAudio: part,
        })) as unknown as GroupCallBackendFactory;
    }, 'livekit');
    const lazy = factory(context);
    expect(lazy.liveAudio, 'before the code has arrived').to.equal(null);
    let atChange: unknown = 'no change yet';
    lazy.addEventListener('change', () => (atChange = lazy.liveAudio), { once: true });
    const starting = lazy.start();
    release();
    await starting;
    expect(lazy.liveAudio).to.equal(part);
    expect(atChange, 'the change event comes with the part in place').to.equal(part);
  });
});
