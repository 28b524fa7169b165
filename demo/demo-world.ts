/**
 * The demo's little world on the homeserver TEST DOUBLE: three people with one device each, a room
 * for two (Alice and Bob) and a room for three (Alice, Bob and Carol).
 *
 * Owns: who exists and which rooms there are. Never: widgets, calls or page layout.
 */
import { TestHomeserver } from './host/homeserver.js';

export interface DemoPerson {
  readonly userId: string;
  readonly deviceId: string;
  readonly displayName: string;
  /** A short colour name for the person's card accent (CSS hue). */
  readonly hue: number;
}

export interface DemoRoom {
  readonly roomId: string;
  readonly name: string;
  readonly description: string;
  readonly members: readonly string[];
}

export interface DemoWorld {
  readonly homeserver: TestHomeserver;
  readonly people: readonly DemoPerson[];
  readonly rooms: readonly DemoRoom[];
}

const SERVER = 'demo.invalid';

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { userId: `@alice:${SERVER}`, deviceId: 'ALICEPHONE', displayName: 'Alice', hue: 160 },
  { userId: `@bob:${SERVER}`, deviceId: 'BOBLAPTOP', displayName: 'Bob', hue: 220 },
  { userId: `@carol:${SERVER}`, deviceId: 'CAROLDESK', displayName: 'Carol', hue: 25 },
];

const [ALICE, BOB, CAROL] = DEMO_PEOPLE.map((p) => p.userId) as [string, string, string];

/** The rooms, known before they exist (so the event panel can name them from the first event). */
export const DEMO_ROOMS: readonly DemoRoom[] = [
  {
    roomId: `!pair:${SERVER}`,
    name: 'Alice & Bob',
    description: 'Two people: 1:1 voice and video calls',
    members: [ALICE, BOB],
  },
  {
    roomId: `!team:${SERVER}`,
    name: 'Team room',
    description: 'Three people: group calls and walkie-talkie',
    members: [ALICE, BOB, CAROL],
  },
];

/** A fresh homeserver double with the demo's people and rooms (created by their first member). */
export function createDemoWorld(
  homeserver = new TestHomeserver({ serverName: SERVER, delivery: 'task' }),
): DemoWorld {
  for (const person of DEMO_PEOPLE) {
    homeserver.addUser(person.userId, { devices: [person.deviceId], displayName: person.displayName });
  }
  for (const room of DEMO_ROOMS) {
    const [creator, ...others] = room.members as [string, ...string[]];
    homeserver.createRoom({
      roomId: room.roomId,
      creator,
      members: others,
      name: room.name,
      encrypted: true,
    });
  }
  return { homeserver, people: DEMO_PEOPLE, rooms: DEMO_ROOMS };
}
