/**
 * Driving the demo page in end-to-end tests: the people, polling until something shows, reaching the
 * <matrix-call> inside a person's widget iframe (same origin) and the parts in its shadow root, and
 * mounting a fresh demo around each test.
 *
 * Owns: those helpers. Never: asserts anything itself or reaches into a controller's internals.
 */
import { setViewport } from '@web/test-runner-commands';
import { startDemo, type Demo, type DemoOptions } from '../../demo/demo-app.js';

export const ALICE = '@alice:demo.invalid';
export const BOB = '@bob:demo.invalid';
export const CAROL = '@carol:demo.invalid';

/** Polls `probe` every 50 ms until it gives a truthy value, or fails naming `what`. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false,
  ms = 20000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The <matrix-call> inside a person's widget iframe. */
export function callElementOf(demo: Demo, userId: string): HTMLElement | undefined {
  const iframe = demo.grid.widgetOf(userId)?.iframe;
  return iframe?.contentDocument?.querySelector<HTMLElement>('matrix-call') ?? undefined;
}

/** The person's <matrix-call> once it shows one of `views`. */
export function inView(demo: Demo, userId: string, ...views: string[]): Promise<HTMLElement> {
  return until(`${userId}'s widget to show ${views.join(' or ')}`, () => {
    const element = callElementOf(demo, userId);
    return element?.shadowRoot && views.includes(element.getAttribute('view') ?? '') ? element : undefined;
  });
}

export function part(root: ParentNode | null | undefined, name: string): HTMLElement {
  const found = root?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

export interface MountedDemo {
  demo: Demo;
  root: HTMLElement;
}

/**
 * Mounts a fresh demo before each test of the calling `describe` (desktop-wide viewport, so three
 * widgets sit side by side) and disposes of it after. Tests may replace `demo` (it is disposed too).
 */
export function mountDemoForEachTest(options: DemoOptions = {}): MountedDemo {
  const mounted = {} as MountedDemo;
  before(async () => {
    await setViewport({ width: 1400, height: 1000 });
  });
  beforeEach(() => {
    mounted.root = document.createElement('div');
    document.body.append(mounted.root);
    mounted.demo = startDemo(mounted.root, options);
  });
  afterEach(() => {
    mounted.demo.dispose();
    mounted.root.remove();
  });
  return mounted;
}
