/**
 * Links the homeserver doubles of several demo windows (same origin) over a BroadcastChannel, so a
 * widget in one window can call a widget in another. Every window builds the same world, then each
 * mirrors the events its own widgets send (room events and to-device messages) into the others.
 *
 * Owns: the channel, the window's id, the count of other windows, and re-playing their traffic into
 * this window's homeserver. Never: widgets or layout; it is the wire between replicas, nothing more.
 *
 * Limits, fine for a demo: each window keeps its own replica, so event ids differ between windows
 * and two events sent in the same instant from two windows may be ordered differently in each;
 * a window opened later does not see the history from before it opened (live calls still ring).
 * A person's widget must live in one window only (pick them with ?people=), or that device would
 * answer twice.
 */
import type { FlowRecord, TestHomeserver } from './host/homeserver.js';

export const DEMO_CHANNEL = 'matrix-call-kit-demo';

interface Mirrored {
  readonly kind: 'room' | 'to-device';
  readonly type: string;
  readonly sender: string;
  readonly senderDevice?: string;
  readonly target: string;
  readonly stateKey?: string;
  readonly encrypted?: boolean;
  readonly content: unknown;
}

type LinkMessage =
  | { readonly op: 'hello' | 'here' | 'bye'; readonly from: string }
  | { readonly op: 'flow'; readonly from: string; readonly record: Mirrored };

export class CrossTabLink extends EventTarget {
  readonly id = crypto.randomUUID();
  private readonly channel: BroadcastChannel;
  private readonly others = new Set<string>();
  private readonly stopObserving: () => void;
  private replaying = false;

  constructor(
    private readonly homeserver: TestHomeserver,
    channelName = DEMO_CHANNEL,
  ) {
    super();
    this.channel = new BroadcastChannel(channelName);
    this.channel.onmessage = (event: MessageEvent<LinkMessage>) => this.receive(event.data);
    this.stopObserving = homeserver.observe((record) => this.forward(record));
    this.post({ op: 'hello', from: this.id });
    addEventListener('pagehide', this.sayBye);
  }

  /** How many other demo windows are linked now. */
  get otherWindows(): number {
    return this.others.size;
  }

  close(): void {
    this.sayBye();
    removeEventListener('pagehide', this.sayBye);
    this.stopObserving();
    this.channel.close();
  }

  private readonly sayBye = (): void => this.post({ op: 'bye', from: this.id });

  private post(message: LinkMessage): void {
    try {
      this.channel.postMessage(message);
    } catch {
      // Closed channel, or content that cannot be cloned: the other windows miss this one event.
    }
  }

  private forward(record: FlowRecord): void {
    if (this.replaying) return; // came from another window: already everywhere
    const { kind, type, sender, senderDevice, target, stateKey, encrypted, content } = record;
    this.post({
      op: 'flow',
      from: this.id,
      record: {
        kind,
        type,
        sender,
        target,
        content,
        ...(senderDevice !== undefined ? { senderDevice } : {}),
        ...(stateKey !== undefined ? { stateKey } : {}),
        ...(encrypted !== undefined ? { encrypted } : {}),
      },
    });
  }

  private receive(message: LinkMessage): void {
    if (!message || typeof message !== 'object' || message.from === this.id) return;
    switch (message.op) {
      case 'hello':
        this.post({ op: 'here', from: this.id });
        this.seen(message.from, true);
        return;
      case 'here':
        this.seen(message.from, true);
        return;
      case 'bye':
        this.seen(message.from, false);
        return;
      case 'flow':
        this.seen(message.from, true);
        this.replay(message.record);
        return;
    }
  }

  private seen(windowId: string, present: boolean): void {
    const had = this.others.has(windowId);
    if (present) this.others.add(windowId);
    else this.others.delete(windowId);
    if (had !== present) this.dispatchEvent(new Event('change'));
  }

  private replay(record: Mirrored): void {
    const content = typeof record.content === 'object' && record.content !== null ? record.content : {};
    this.replaying = true;
    try {
      if (record.kind === 'room') {
        this.homeserver.sendEvent(record.target, record.sender, record.type, content, {
          ...(record.stateKey !== undefined ? { stateKey: record.stateKey } : {}),
          ...(record.senderDevice !== undefined ? { senderDevice: record.senderDevice } : {}),
        });
      } else {
        const slash = record.target.lastIndexOf('/');
        const userId = record.target.slice(0, slash);
        const deviceId = record.target.slice(slash + 1);
        this.homeserver.sendToDevice(
          record.sender,
          record.senderDevice ?? '',
          record.type,
          record.encrypted === true,
          { [userId]: { [deviceId]: content } },
        );
      }
    } catch (error) {
      console.warn('demo: an event from another window did not apply here', error);
    } finally {
      this.replaying = false;
    }
  }
}
