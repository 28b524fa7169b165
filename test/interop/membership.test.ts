// Interop: the kit's MatrixRTC membership against matrix-js-sdk's own code, in the browser.
// - matrix-js-sdk's MatrixRTCSession.callMembershipsForRoom (CallMembership) reads what the kit writes;
// - the kit reads what matrix-js-sdk's MembershipManager writes (join, delayed leave, leave).
// The homeserver is the in-memory TEST DOUBLE (demo/host/homeserver.ts); matrix-js-sdk's client is a
// stand-in that forwards its state and delayed-event requests to that double. Real timers.
//
// matrix-js-sdk loads in the browser only through scripts/matrix-js-sdk-plugin.mjs (a bundling
// dev-server plugin): see docs/membership.md, "Interop test".
import { expect } from '@open-wc/testing';
import { MatrixEvent } from 'matrix-js-sdk';
import { MatrixRTCSession } from 'matrix-js-sdk/lib/matrixrtc/index.js';
import { MembershipManager as SdkMembershipManager } from 'matrix-js-sdk/lib/matrixrtc/NewMembershipManager.js';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { MemoryTransport } from '../../demo/host/memory-transport.js';
import { MembershipManager, membershipNeeds } from '../../src/group/membership-manager.js';
import { ELEMENT_MEMBER_EVENT } from '../../src/signalling/membership/index.js';

const KIT = '@kit:test.invalid';
const SDK = '@sdk:test.invalid';
const SERVICE = 'https://rtc.example.org/livekit/jwt';

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function setup() {
  const hs = new TestHomeserver();
  const roomId = hs.createRoom({ creator: KIT, members: [SDK] });
  /** The room as matrix-js-sdk's helpers need it, over the double's current state. */
  const sdkRoom = {
    roomId,
    getVersion: () => '10',
    hasMembershipState: (userId: string, membership: string) =>
      membership === 'join' && hs.joinedMembers(roomId).includes(userId),
    getLiveTimeline: () => ({
      getState: () => ({
        getStateEvents: (type: string) =>
          hs
            .state(roomId, type)
            .map((event) => new MatrixEvent({ ...event } as ConstructorParameters<typeof MatrixEvent>[0])),
      }),
    }),
  };
  return { hs, roomId, sdkRoom };
}

async function kitDevice(hs: TestHomeserver, roomId: string) {
  const transport = new MemoryTransport(hs, { userId: KIT, deviceId: 'KITDEV', roomId });
  await transport.start(membershipNeeds(transport, {}));
  const manager = new MembershipManager({
    transport,
    backend: { type: 'livekit', serviceUrl: SERVICE, alias: roomId },
    callIntent: 'video',
  });
  await manager.start();
  return { transport, manager };
}

describe('interop: MatrixRTC membership with matrix-js-sdk', () => {
  it("matrix-js-sdk's MatrixRTCSession sees the kit's membership, and sees it go", async () => {
    const { hs, roomId, sdkRoom } = setup();
    const kit = await kitDevice(hs, roomId);
    await kit.manager.join();

    const members = MatrixRTCSession.callMembershipsForRoom(sdkRoom as never);
    expect(members).to.have.length(1);
    const [m] = members;
    const written = hs.state(roomId, ELEMENT_MEMBER_EVENT)[0]!;
    expect(m!.sender).to.equal(KIT);
    expect(m!.deviceId).to.equal('KITDEV');
    expect(m!.callId).to.equal('');
    expect(m!.scope).to.equal('m.room');
    expect(m!.application).to.equal('m.call');
    expect(m!.isExpired()).to.equal(false);
    expect(m!.createdTs()).to.equal(written.origin_server_ts);
    expect(m!.getAbsoluteExpiry()).to.equal(kit.manager.ownMembership!.expiresAt);
    expect(m!.getFocusSelection()).to.equal('oldest_membership');
    expect(m!.getPreferredFoci()).to.deep.equal([
      { type: 'livekit', livekit_service_url: SERVICE, livekit_alias: roomId },
    ]);

    await kit.manager.leave();
    expect(MatrixRTCSession.callMembershipsForRoom(sdkRoom as never)).to.deep.equal([]);
    kit.manager.dispose();
  });

  it("the kit sees a membership written by matrix-js-sdk's MembershipManager, and sees it leave", async () => {
    const { hs, roomId, sdkRoom } = setup();
    const kit = await kitDevice(hs, roomId);
    const client = {
      getUserId: () => SDK,
      getDeviceId: () => 'SDKDEV',
      sendStateEvent: async (room: string, type: string, content: object, stateKey: string) => ({
        event_id: hs.sendState(room, SDK, type, stateKey, content, 'SDKDEV').event_id,
      }),
      _unstable_sendDelayedStateEvent: async (
        room: string,
        opts: { delay: number },
        type: string,
        content: object,
        stateKey: string,
      ) => ({ delay_id: hs.scheduleDelayedEvent(room, SDK, { type, content, stateKey }, opts.delay) }),
      _unstable_updateDelayedEvent: async (delayId: string, action: 'cancel' | 'restart' | 'send') => {
        hs.updateDelayedEvent(delayId, SDK, action);
        return {};
      },
    };
    const sdk = new SdkMembershipManager(undefined, sdkRoom as never, client as never, () => undefined);
    sdk.join([{ type: 'livekit', livekit_service_url: SERVICE, livekit_alias: roomId }], {
      type: 'livekit',
      focus_selection: 'oldest_membership',
    } as never);

    await until(
      () => kit.manager.memberships.some((m) => m.userId === SDK),
      "the kit seeing matrix-js-sdk's membership",
    );
    const seen = kit.manager.memberships.find((m) => m.userId === SDK)!;
    const raw = hs.state(roomId, ELEMENT_MEMBER_EVENT).find((e) => e.sender === SDK)!;
    // matrix-js-sdk 37's state key (no `_m.call` suffix yet): the kit accepts both forms.
    expect(raw.state_key).to.equal(`_${SDK}_SDKDEV`);
    expect(seen.format).to.equal('element');
    expect(seen.deviceId).to.equal('SDKDEV');
    expect(seen.callId).to.equal('');
    expect(seen.createdTs).to.equal(raw.origin_server_ts);
    expect(seen.expiresAt).to.be.greaterThan(Date.now() + 60 * 60 * 1000);
    expect(seen.backend).to.deep.equal({ type: 'livekit', serviceUrl: SERVICE, alias: roomId });
    expect(
      hs.delayedEvents().some((d) => d.sender === SDK),
      "matrix-js-sdk's delayed leave",
    ).to.equal(true);

    await sdk.leave();
    await until(
      () => !kit.manager.memberships.some((m) => m.userId === SDK),
      'the kit seeing matrix-js-sdk leave',
    );
    kit.manager.dispose();
  });
});
