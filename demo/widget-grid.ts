/**
 * The demo's row of people: one card per person, holding that person's widget iframe for the room
 * on show (embedded with embedWidget: a real ClientWidgetApi and a driver over the homeserver
 * double), or a note when the person is not in the room.
 *
 * Owns: the cards, which widgets exist (one per person in the chosen room) and telling them the
 * theme. Never: call logic; a widget is a separate page that the host only embeds and feeds.
 */
import { embedWidget, type EmbeddedWidget } from './host/widget-host.js';
import type { DemoPerson, DemoRoom, DemoWorld } from './demo-world.js';

export type DemoTheme = 'auto' | 'light' | 'dark';

export interface WidgetGridOptions {
  readonly world: DemoWorld;
  readonly container: HTMLElement;
  /** The widget page, relative to the host page or absolute. */
  readonly widgetUrl: string;
  /** People whose widgets live in this window (default all); the others live in another window. */
  readonly hosted?: (person: DemoPerson) => boolean;
  /** Begin each widget's capabilities on its content_loaded rather than on iframe load. */
  readonly waitForContentLoaded?: boolean;
  /** Where a person's widget can be opened when it is not hosted here. */
  readonly elsewhereUrl?: (person: DemoPerson) => string;
}

export class WidgetGrid {
  readonly element: HTMLElement;
  private readonly widgets = new Map<string, EmbeddedWidget>();
  private room: DemoRoom | undefined;
  private theme: DemoTheme = 'auto';

  constructor(private readonly options: WidgetGridOptions) {
    this.element = document.createElement('section');
    this.element.className = 'widget-grid';
    this.element.setAttribute('aria-label', 'One widget per person');
    options.container.append(this.element);
  }

  /** The room on show. */
  get currentRoom(): DemoRoom | undefined {
    return this.room;
  }

  /** The embedded widget of a person in the room on show. */
  widgetOf(userId: string): EmbeddedWidget | undefined {
    return this.widgets.get(userId);
  }

  /** Replaces every widget with one for `room` (calls in the previous room end with their page). */
  show(room: DemoRoom, theme: DemoTheme = this.theme): void {
    this.removeWidgets();
    this.room = room;
    this.theme = theme;
    this.element.replaceChildren();
    // Each card joins the page before its widget is embedded: the widget API needs a live iframe.
    for (const person of this.options.world.people) this.addCard(person, room);
  }

  /** Tells every widget the new theme, as a host does when its user switches (no reload). */
  setTheme(theme: DemoTheme): void {
    this.theme = theme;
    for (const widget of this.widgets.values()) {
      widget.api.updateTheme({ name: theme }).catch(() => undefined);
    }
  }

  dispose(): void {
    this.removeWidgets();
    this.element.remove();
  }

  private removeWidgets(): void {
    for (const widget of this.widgets.values()) widget.remove();
    this.widgets.clear();
  }

  private addCard(person: DemoPerson, room: DemoRoom): void {
    const card = document.createElement('article');
    card.className = 'person-card';
    card.style.setProperty('--person-hue', String(person.hue));
    card.dataset.userId = person.userId;
    const header = document.createElement('header');
    header.className = 'person-header';
    const avatar = document.createElement('span');
    avatar.className = 'person-avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = person.displayName.slice(0, 1);
    const who = document.createElement('div');
    who.className = 'person-who';
    const name = document.createElement('h2');
    name.textContent = person.displayName;
    const ids = document.createElement('p');
    ids.className = 'person-ids';
    ids.textContent = `${person.userId} · ${person.deviceId}`;
    who.append(name, ids);
    const status = document.createElement('span');
    status.className = 'person-status';
    status.setAttribute('role', 'status');
    header.append(avatar, who, status);

    const body = document.createElement('div');
    body.className = 'person-widget';
    card.append(header, body);
    this.element.append(card);

    if (!room.members.includes(person.userId)) {
      card.classList.add('absent');
      status.textContent = 'not in this room';
      const note = document.createElement('p');
      note.className = 'person-absent';
      note.textContent = `${person.displayName} is not a member of “${room.name}”. Pick the three-person room to bring ${person.displayName} in.`;
      body.append(note);
      return;
    }

    if (this.options.hosted && !this.options.hosted(person)) {
      card.classList.add('absent');
      status.textContent = 'in another window';
      const note = document.createElement('p');
      note.className = 'person-absent';
      note.textContent = `${person.displayName}’s widget lives in another window of this demo. `;
      const href = this.options.elsewhereUrl?.(person);
      if (href) {
        const link = document.createElement('a');
        link.href = href;
        link.target = '_blank';
        link.textContent = `Open ${person.displayName}’s window`;
        note.append(link);
      }
      body.append(note);
      return;
    }

    status.textContent = 'loading…';
    const widget = embedWidget({
      homeserver: this.options.world.homeserver,
      container: body,
      url: this.options.widgetUrl,
      userId: person.userId,
      deviceId: person.deviceId,
      roomId: room.roomId,
      ...(this.theme !== 'auto' ? { theme: this.theme } : {}),
      lang: navigator.language,
      title: `${person.displayName}'s call widget`,
      ...(this.options.waitForContentLoaded ? { waitForContentLoaded: true } : {}),
    });
    this.widgets.set(person.userId, widget);
    widget.ready.then(
      () => {
        const count = widget.approved().length;
        status.textContent = `✓ ${count} capabilities`;
        status.title = widget.approved().join('\n');
        card.classList.add('ready');
      },
      (error: unknown) => {
        status.textContent = 'widget failed';
        status.title = String(error);
      },
    );
  }
}
