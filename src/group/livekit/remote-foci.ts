/**
 * The extra LiveKit rooms of a multi-SFU call: Element Call 0.26 members publish to their own focus
 * (`focus_selection: multi_sfu`), so a member on another deployment is received by connecting, as a
 * subscriber that publishes nothing, to the room of that member's focus. One room per other focus;
 * rooms for foci nobody uses any more are closed.
 *
 * Which foci may be connected to (the OpenID token goes to their service) is the caller's `open`
 * decision (focus.ts trust rules); a focus it refuses is remembered as refused until it leaves the call.
 *
 * Owns: the set of subscriber rooms and their lifetimes. Never: chooses or trusts foci, publishes, or
 * touches keys (the caller attaches each room to the key fan-out in `open`).
 */
import type { Unsubscribe } from '../../transport/transport.js';
import type { LivekitFocus } from './focus.js';
import type { SfuRoom } from './sfu-room.js';

/** At most this many other foci are connected to at once (each is a connection of its own). */
export const MAX_REMOTE_FOCI = 8;

export type RemoteFocusState =
  | { readonly kind: 'opening' }
  | { readonly kind: 'open'; readonly room: SfuRoom }
  | { readonly kind: 'refused'; readonly why: string; readonly error: unknown };

export interface RemoteFociOptions {
  /** Connects a subscriber room to the focus, or rejects (untrusted, service or SFU failure). */
  readonly open: (focus: LivekitFocus) => Promise<SfuRoom>;
  readonly onChange: () => void;
  readonly log: (message: string) => void;
}

export class RemoteFoci {
  private readonly foci = new Map<
    string,
    { focus: LivekitFocus; state: RemoteFocusState; off: Unsubscribe[] }
  >();
  private closed = false;

  constructor(private readonly options: RemoteFociOptions) {}

  /** The foci other members publish to (own focus excluded by the caller). */
  update(wanted: readonly LivekitFocus[]): void {
    if (this.closed) return;
    const keep = new Set<string>();
    for (const focus of wanted) {
      if (keep.size >= MAX_REMOTE_FOCI) {
        this.options.log(
          `more than ${MAX_REMOTE_FOCI} other media servers in the call: ${focus.serviceUrl} left out`,
        );
        continue;
      }
      keep.add(focus.serviceUrl);
      if (!this.foci.has(focus.serviceUrl)) this.start(focus);
    }
    for (const [url, entry] of this.foci) {
      if (keep.has(url)) continue;
      this.foci.delete(url);
      this.closeEntry(entry);
    }
  }

  /** Rooms connected now. */
  get rooms(): SfuRoom[] {
    return [...this.foci.values()].flatMap((e) => (e.state.kind === 'open' ? [e.state.room] : []));
  }

  /** Foci that could not be used, and why (for the view and diagnostics), with the error `open` gave. */
  get refused(): { readonly focus: LivekitFocus; readonly why: string; readonly error: unknown }[] {
    return [...this.foci.values()].flatMap((e) =>
      e.state.kind === 'refused' ? [{ focus: e.focus, why: e.state.why, error: e.state.error }] : [],
    );
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const entries = [...this.foci.values()];
    this.foci.clear();
    await Promise.all(entries.map((e) => this.closeEntry(e)));
  }

  private start(focus: LivekitFocus): void {
    const entry = { focus, state: { kind: 'opening' } as RemoteFocusState, off: [] as Unsubscribe[] };
    this.foci.set(focus.serviceUrl, entry);
    this.options
      .open(focus)
      .then(async (room) => {
        if (this.foci.get(focus.serviceUrl) !== entry) {
          await room.disconnect();
          return;
        }
        entry.state = { kind: 'open', room };
        entry.off.push(
          room.onChange(() => this.options.onChange()),
          room.onEnded((reason) => {
            this.options.log(`the media server ${focus.serviceUrl} went away: ${reason}`);
            if (this.foci.get(focus.serviceUrl) === entry) this.foci.delete(focus.serviceUrl);
            this.closeEntry(entry);
            this.options.onChange();
          }),
        );
        this.options.onChange();
      })
      .catch((error: unknown) => {
        if (this.foci.get(focus.serviceUrl) !== entry) return;
        const why = error instanceof Error ? error.message : String(error);
        entry.state = { kind: 'refused', why, error };
        this.options.log(`not receiving the members on ${focus.serviceUrl}: ${why}`);
        this.options.onChange();
      });
  }

  private async closeEntry(entry: { state: RemoteFocusState; off: Unsubscribe[] }): Promise<void> {
    for (const off of entry.off.splice(0)) off();
    if (entry.state.kind === 'open') await entry.state.room.disconnect();
  }
}
