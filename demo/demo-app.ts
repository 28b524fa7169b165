/**
 * The embedded default, assembled: the homeserver double with the demo's people and rooms, a room
 * picker, a theme switch, one widget per person and the event panel. demo/index.ts mounts it on the
 * demo page; the end-to-end test mounts the very same thing in its test page.
 *
 * Owns: the page's layout and the wiring between picker, widgets and panel.
 * Never: call logic (each widget is its own page with its own controller).
 */
import { createDemoWorld, DEMO_PEOPLE, DEMO_ROOMS, type DemoRoom, type DemoWorld } from './demo-world.js';
import { EventPanel } from './event-panel.js';
import { WidgetGrid, type DemoTheme } from './widget-grid.js';
import { TestHomeserver } from './host/homeserver.js';
import { CrossTabLink } from './cross-tab-link.js';

const localpartOf = (userId: string) => userId.slice(1).split(':')[0] ?? userId;

/** The demo page's URL for some people and a room, e.g. `index.html?people=bob&room=0`. */
export function demoUrl(people: readonly string[], roomIndex: number, base = location.href): string {
  const url = new URL(base);
  // The other window shows the same widget build (`widget`: the built page that `npm start` serves).
  const widget = url.searchParams.get('widget');
  url.search = new URLSearchParams({
    people: people.join(','),
    room: String(roomIndex),
    ...(widget ? { widget } : {}),
  }).toString();
  url.hash = '';
  return url.href;
}

export interface DemoOptions {
  /** The widget page. Default: widget.html next to this module. */
  readonly widgetUrl?: string;
  /** The host waits for the widgets' content_loaded before asking capabilities (see embedWidget). */
  readonly waitForContentLoaded?: boolean;
  /** Which room to show first (0: the two-person room). */
  readonly roomIndex?: number;
  /** Localparts of the people whose widgets live in this window (default: everyone). */
  readonly people?: readonly string[];
  /** Link with other demo windows over a BroadcastChannel so they can call each other. Default false. */
  readonly crossTab?: boolean;
}

export interface Demo {
  readonly world: DemoWorld;
  readonly grid: WidgetGrid;
  readonly panel: EventPanel;
  readonly link?: CrossTabLink;
  selectRoom(roomId: string): void;
  setTheme(theme: DemoTheme): void;
  dispose(): void;
}

const STYLESHEET = new URL('./demo.css', import.meta.url).href;

function ensureStylesheet(): void {
  if (document.querySelector(`link[href="${STYLESHEET}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = STYLESHEET;
  document.head.append(link);
}

export function startDemo(root: HTMLElement, options: DemoOptions = {}): Demo {
  ensureStylesheet();
  const homeserver = new TestHomeserver({ serverName: 'demo.invalid', delivery: 'task' });
  root.classList.add('demo');
  root.innerHTML = `
    <header class="demo-header">
      <div class="demo-title">
        <h1>Matrix call kit</h1>
        <p>Three people, each in their own widget iframe, on an in-browser homeserver
          (<strong>a test double</strong>, nothing leaves this page). Real WebRTC, real widget API.</p>
      </div>
      <div class="demo-settings">
        <fieldset class="room-picker">
          <legend>Room</legend>
          <div class="room-options"></div>
        </fieldset>
        <label class="theme-picker">Theme
          <select name="theme">
            <option value="auto">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </div>
    </header>
    <p class="demo-hint"></p>
    <p class="demo-windows" hidden></p>
    <div class="demo-widgets"></div>
    <div class="demo-events"></div>`;

  const byId = new Map<string, DemoRoom>(DEMO_ROOMS.map((room) => [room.roomId, room]));
  const panel = new EventPanel(homeserver, root.querySelector('.demo-events')!, {
    roomName: (roomId) => byId.get(roomId)?.name,
    personName: (userId) => DEMO_PEOPLE.find((p) => p.userId === userId)?.displayName,
  });
  // Created after the panel, so the panel shows how the rooms were set up.
  const world = createDemoWorld(homeserver);

  const hostedHere = (userId: string) => !options.people || options.people.includes(localpartOf(userId));
  const roomIndexNow = (): number => Math.max(0, world.rooms.indexOf(grid.currentRoom ?? world.rooms[0]!));
  const grid: WidgetGrid = new WidgetGrid({
    world,
    container: root.querySelector('.demo-widgets')!,
    widgetUrl: options.widgetUrl ?? new URL('./widget.html', import.meta.url).href,
    ...(options.waitForContentLoaded ? { waitForContentLoaded: true } : {}),
    hosted: (person) => hostedHere(person.userId),
    elsewhereUrl: (person) => demoUrl([localpartOf(person.userId)], roomIndexNow()),
  });
  // Linked after the world exists: every window builds the same world, only new traffic is mirrored.
  const link = options.crossTab ? new CrossTabLink(homeserver) : undefined;
  showWindows(root.querySelector<HTMLElement>('.demo-windows')!, link);

  const hint = root.querySelector<HTMLElement>('.demo-hint')!;
  const roomOptions = root.querySelector<HTMLElement>('.room-options')!;
  for (const room of world.rooms) {
    const label = document.createElement('label');
    label.className = 'room-option';
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'room';
    input.value = room.roomId;
    const text = document.createElement('span');
    const strong = document.createElement('strong');
    strong.textContent = room.name;
    const small = document.createElement('small');
    small.textContent = room.description;
    text.append(strong, small);
    label.append(input, text);
    input.addEventListener('change', () => input.checked && selectRoom(room.roomId));
    roomOptions.append(label);
  }

  const themeSelect = root.querySelector<HTMLSelectElement>('select[name="theme"]')!;
  themeSelect.addEventListener('change', () => setTheme(themeSelect.value as DemoTheme));

  function selectRoom(roomId: string): void {
    const room = byId.get(roomId);
    if (!room) return;
    for (const input of roomOptions.querySelectorAll('input')) input.checked = input.value === roomId;
    hint.textContent =
      room.members.length === 2
        ? 'Press the video button in Alice’s widget, then answer in Bob’s. Switching rooms reloads the widgets.'
        : 'A room of three (1:1 calls need exactly two people): press "Join group call" in each widget, or ' +
          'turn on the walkie-talkie in each and hold the button to talk. Switching rooms reloads the widgets.';
    grid.show(room, themeSelect.value as DemoTheme);
  }

  function setTheme(theme: DemoTheme): void {
    themeSelect.value = theme;
    if (theme === 'auto') delete root.dataset.theme;
    else root.dataset.theme = theme;
    grid.setTheme(theme);
  }

  selectRoom(world.rooms[options.roomIndex ?? 0]?.roomId ?? '');

  function showWindows(element: HTMLElement, crossTab: CrossTabLink | undefined): void {
    element.hidden = false;
    const here = world.people.filter((p) => hostedHere(p.userId));
    const text = document.createElement('span');
    const split = document.createElement('button');
    split.type = 'button';
    split.textContent = 'Call across windows: Alice here, Bob and Carol in a new window';
    split.addEventListener('click', () => {
      window.open(demoUrl(['bob', 'carol'], roomIndexNow()), '_blank');
      location.href = demoUrl(['alice'], roomIndexNow());
    });
    const update = () => {
      if (!crossTab) {
        text.textContent = 'Everyone is in this window. ';
        return;
      }
      const others = crossTab.otherWindows;
      text.textContent =
        `This window hosts ${here.map((p) => p.displayName).join(', ')}. ` +
        (others === 0
          ? 'No other demo window is open. '
          : `Linked with ${others} other window${others === 1 ? '' : 's'}. `);
    };
    crossTab?.addEventListener('change', update);
    update();
    // A window that hosts only some people is already one of a split.
    element.append(text, ...(options.people ? [] : [split]));
  }

  return {
    world,
    grid,
    panel,
    ...(link ? { link } : {}),
    selectRoom,
    setTheme,
    dispose(): void {
      link?.close();
      grid.dispose();
      panel.dispose();
      root.replaceChildren();
      root.classList.remove('demo');
    },
  };
}
