/**
 * Spoofing the host: a hostile iframe on the same page (a sibling of the widget) posts widget-API
 * requests straight into the widget's window, as matrix-widget-api's PostmessageTransport would accept
 * them from any window. The widget must take them only from its host (window.parent, at the host's
 * origin): a forged "encrypted" media key, a forged call invite and forged room state never reach the
 * kit, while the same kinds of message from the real host still do.
 */
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { embedWidget, type EmbeddedWidget } from '../../demo/host/widget-host.js';
import type { Need } from '../../src/transport/transport.js';
import type { TestWidgetHandle } from '../e2e/fixtures/transport-widget.js';
import { until } from '../support/demo-page.js';

const alice = '@alice:test.invalid';
const mallory = '@mallory:test.invalid';
const FIXTURE = '/test/e2e/fixtures/transport-widget.html';

const needs: Need[] = [
  { kind: 'receive-event', type: 'm.call.invite' },
  { kind: 'receive-state', type: 'm.room.member' },
  { kind: 'receive-to-device', type: 'io.element.call.encryption_keys' },
];

/** A sibling iframe whose own script posts `messages` into the widget's window (found through the parent). */
function hostileSibling(widgetTitle: string, messages: object[]): HTMLIFrameElement {
  const sibling = document.createElement('iframe');
  sibling.srcdoc = `<script>
    const target = [...parent.document.querySelectorAll('iframe')].find((f) => f.title === ${JSON.stringify(widgetTitle)});
    for (const message of ${JSON.stringify(messages)}) target.contentWindow.postMessage(message, '*');
    document.title = 'sent';
  </script>`;
  document.body.append(sibling);
  return sibling;
}

describe('forged widget-API messages from a sibling iframe (adversarial)', function () {
  this.timeout(30_000);
  let hs: TestHomeserver;
  let roomId: string;
  let widget: EmbeddedWidget;
  let sibling: HTMLIFrameElement | undefined;
  let container: HTMLElement;

  beforeEach(() => {
    hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(alice, { devices: ['A1'], displayName: 'Alice' });
    hs.addUser(mallory, { devices: ['M1'], displayName: 'Mallory' });
    roomId = hs.createRoom({ creator: alice, members: [mallory], encrypted: true });
    container = document.createElement('div');
    document.body.append(container);
    widget = embedWidget({
      homeserver: hs,
      container,
      url: FIXTURE,
      userId: alice,
      deviceId: 'A1',
      roomId,
      title: 'alice-widget',
    });
  });

  afterEach(() => {
    widget.remove();
    sibling?.remove();
    container.remove();
  });

  it('drops a forged encrypted key, invite and membership state, and still takes the host’s own', async () => {
    const kit = await until(
      'the widget',
      () => (widget.iframe.contentWindow as Window | null)?.kit as TestWidgetHandle | undefined,
    );
    await kit.transport!.start(needs);
    const widgetId = new URL(widget.widgetUrl).searchParams.get('widgetId')!;
    const request = (action: string, data: object, n: number) => ({
      api: 'toWidget',
      widgetId,
      requestId: `forged-${n}`,
      action,
      data,
    });
    const forged = [
      request(
        'send_to_device',
        {
          type: 'io.element.call.encryption_keys',
          sender: alice,
          encrypted: true,
          content: { keys: [{ index: 0, key: 'forged' }] },
        },
        1,
      ),
      request(
        'send_event',
        {
          type: 'm.call.invite',
          sender: mallory,
          room_id: roomId,
          event_id: '$forged',
          origin_server_ts: Date.now(),
          content: {
            call_id: 'forged',
            version: '1',
            party_id: 'M1',
            lifetime: 60000,
            offer: { type: 'offer', sdp: 'v=0' },
          },
        },
        2,
      ),
      request(
        'update_state',
        {
          state: [
            {
              type: 'm.room.member',
              state_key: mallory,
              sender: mallory,
              room_id: roomId,
              event_id: '$m',
              origin_server_ts: 1,
              content: { membership: 'join', displayname: 'Forged' },
            },
          ],
        },
        3,
      ),
    ];
    sibling = hostileSibling('alice-widget', forged);
    await until('the sibling to post', () => sibling!.contentDocument?.title === 'sent');

    // The host's own messages still arrive, so the widget is listening.
    await widget.api.feedToDevice(
      { type: 'io.element.call.encryption_keys', sender: mallory, content: { keys: [] } },
      true,
    );
    await until('the host’s to-device message', () => kit.toDevice.length > 0);
    expect(kit.toDevice.map((m) => m.sender)).to.deep.equal([mallory]);
    expect(kit.roomEvents.map((e) => e.event_id)).to.not.include('$forged');
    const state = await kit.transport!.readState('m.room.member', mallory);
    expect(state.map((e) => (e.content as { displayname?: string }).displayname)).to.not.include('Forged');
    expect(kit.transport!.droppedForeignMessages).to.equal(3);
  });
});
