/**
 * The demo's event panel: lists every Matrix event the homeserver double accepts, as it flows (kind,
 * type, sender and device, target room or device, size in bytes), with the content one click away.
 * It is how a developer sees what the kit puts on the wire.
 *
 * Owns: its own DOM under the container it is given, and the homeserver observer it adds.
 * Never: changes the homeserver or the widgets.
 */
import type { FlowRecord, TestHomeserver } from './host/homeserver.js';

export interface EventPanelNames {
  /** A room's display name, or undefined for an unknown room. */
  roomName(roomId: string): string | undefined;
  /** A person's display name, or undefined for an unknown user. */
  personName(userId: string): string | undefined;
}

export type EventFilter = 'all' | 'calls';

const MAX_ROWS = 600;

/** True for what the "Calls only" filter shows: VoIP signalling, call membership, call keys. */
export function isCallTraffic(record: FlowRecord): boolean {
  return /(^m\.call\.)|(\.call\.)|(^org\.matrix\.msc3401)|(^org\.matrix\.msc4002)|(encryption_keys$)/.test(
    record.type,
  );
}

/** 'call', 'state', 'to-device' or 'room': the colour a row gets. */
export function categoryOf(record: FlowRecord): string {
  if (record.kind === 'to-device') return 'to-device';
  if (record.type.startsWith('m.call.')) return 'call';
  if (record.stateKey !== undefined) return 'state';
  return 'room';
}

export class EventPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly summary: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly records: FlowRecord[] = [];
  private readonly stopObserving: () => void;
  private filter: EventFilter = 'all';
  private firstTs: number | undefined;
  /** Keep the newest row in view, until the person scrolls up to read. */
  private following = true;

  constructor(
    homeserver: TestHomeserver,
    container: HTMLElement,
    private readonly names: EventPanelNames,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'event-panel';
    this.element.setAttribute('aria-labelledby', 'event-panel-title');
    this.element.innerHTML = `
      <header class="event-panel-header">
        <div>
          <h2 id="event-panel-title">Matrix events on the wire</h2>
          <p class="event-summary" aria-live="off"></p>
        </div>
        <div class="event-tools">
          <label>Show
            <select name="event-filter">
              <option value="all">every event</option>
              <option value="calls">call signalling only</option>
            </select>
          </label>
          <button type="button" class="event-clear">Clear</button>
        </div>
      </header>
      <div class="event-columns" aria-hidden="true">
        <span>time</span><span>kind</span><span>type</span><span>from</span><span>to</span><span class="num">bytes</span>
      </div>
      <p class="event-empty">No events yet. Place a call in a widget and watch its signalling arrive here.</p>
      <ol class="event-list" aria-label="Events, oldest first"></ol>`;
    container.append(this.element);
    this.list = this.element.querySelector('.event-list')!;
    this.summary = this.element.querySelector('.event-summary')!;
    this.empty = this.element.querySelector('.event-empty')!;
    const select = this.element.querySelector<HTMLSelectElement>('select[name="event-filter"]')!;
    select.addEventListener('change', () => this.setFilter(select.value === 'calls' ? 'calls' : 'all'));
    this.element.querySelector('.event-clear')!.addEventListener('click', () => this.clear());
    this.list.addEventListener('scroll', () => {
      this.following = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 24;
    });
    this.stopObserving = homeserver.observe((record) => this.add(record));
    this.updateSummary();
  }

  /** Every record seen since the last clear, oldest first. */
  get seen(): readonly FlowRecord[] {
    return this.records;
  }

  setFilter(filter: EventFilter): void {
    this.filter = filter;
    this.list.replaceChildren(...this.records.filter((r) => this.shows(r)).map((r) => this.rowOf(r)));
    this.updateSummary();
  }

  clear(): void {
    this.records.length = 0;
    this.firstTs = undefined;
    this.list.replaceChildren();
    this.updateSummary();
  }

  dispose(): void {
    this.stopObserving();
    this.element.remove();
  }

  private shows(record: FlowRecord): boolean {
    return this.filter === 'all' || isCallTraffic(record);
  }

  private add(record: FlowRecord): void {
    this.firstTs ??= record.ts;
    this.records.push(record);
    if (this.records.length > MAX_ROWS) this.records.shift();
    if (this.shows(record)) {
      this.list.append(this.rowOf(record));
      while (this.list.childElementCount > MAX_ROWS) this.list.firstElementChild?.remove();
      if (this.following) this.list.scrollTop = this.list.scrollHeight;
    }
    this.updateSummary();
  }

  private updateSummary(): void {
    const shown = this.records.filter((r) => this.shows(r));
    const bytes = shown.reduce((sum, r) => sum + r.bytes, 0);
    const toDevice = shown.filter((r) => r.kind === 'to-device').length;
    this.summary.textContent =
      `${shown.length} event${shown.length === 1 ? '' : 's'} (${shown.length - toDevice} room, ` +
      `${toDevice} to-device), ${formatBytes(bytes)}`;
    this.empty.hidden = shown.length > 0;
  }

  private who(userId: string, deviceId?: string): string {
    const name = this.names.personName(userId) ?? userId;
    return deviceId ? `${name} · ${deviceId}` : name;
  }

  private targetOf(record: FlowRecord): string {
    if (record.kind === 'room') {
      const room = this.names.roomName(record.target) ?? record.target;
      return record.stateKey ? `${room} [${this.stateKeyText(record.stateKey)}]` : room;
    }
    const slash = record.target.lastIndexOf('/');
    const userId = record.target.slice(0, slash);
    const deviceId = record.target.slice(slash + 1);
    return this.who(userId, deviceId === '*' ? 'every device' : deviceId);
  }

  private stateKeyText(stateKey: string): string {
    return this.names.personName(stateKey) ?? stateKey;
  }

  private rowOf(record: FlowRecord): HTMLLIElement {
    const row = document.createElement('li');
    row.className = 'event-row';
    row.dataset.category = categoryOf(record);
    row.dataset.type = record.type;
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    const cell = (className: string, text: string, title?: string) => {
      const span = document.createElement('span');
      span.className = className;
      span.textContent = text;
      if (title) span.title = title;
      summary.append(span);
    };
    const seconds = ((record.ts - (this.firstTs ?? record.ts)) / 1000).toFixed(2);
    cell('event-time', `+${seconds}s`, new Date(record.ts).toLocaleTimeString());
    cell(
      'event-kind',
      record.kind === 'room' ? (record.stateKey !== undefined ? 'state' : 'room') : 'to-device',
    );
    cell('event-type', record.type);
    cell('event-from', this.who(record.sender, record.senderDevice), record.sender);
    cell('event-to', (record.encrypted ? '🔒 ' : '') + this.targetOf(record), record.target);
    cell('event-bytes num', String(record.bytes));
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(record.content, null, 2);
    details.append(summary, pre);
    row.append(details);
    return row;
  }
}

function formatBytes(bytes: number): string {
  return bytes < 10_000 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}
