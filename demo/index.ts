/**
 * The demo page's entry (demo/index.html, what `npm start` opens): mounts the embedded default.
 * Owns nothing else. Never: call logic.
 */
import { startDemo, type Demo } from './demo-app.js';

declare global {
  interface Window {
    /** The running demo, for people poking at it in the console. */
    demo?: Demo;
  }
}

// ?people=alice,bob hosts only those people's widgets here (the others in another window);
// ?room=1 opens the three-person room.
const query = new URLSearchParams(location.search);
const people = query
  .get('people')
  ?.split(',')
  .map((name) => name.trim().toLowerCase())
  .filter(Boolean);
const room = Number(query.get('room') ?? '0');
// ?widget=URL embeds that widget page (`npm start` passes the built one, served from its own origin);
// without it, the widget page next to this one.
const widgetUrl = query.get('widget') ?? undefined;

// Windows link up only when each hosts some of the people: a person in two linked windows would be
// one device answering twice.
window.demo = startDemo(document.getElementById('demo')!, {
  crossTab: people !== undefined && people.length > 0,
  roomIndex: Number.isInteger(room) ? room : 0,
  ...(widgetUrl ? { widgetUrl } : {}),
  ...(people && people.length > 0 ? { people } : {}),
});
