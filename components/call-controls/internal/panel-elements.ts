/**
 * Defines the element inside each of <call-controls>'s panels (<device-select>, <dtmf-keypad>) the
 * first time that panel opens, through import(): the widget page's first load carries neither, and a
 * call that never opens them never fetches them. A tag rendered before its definition arrives upgrades
 * when it does; a page that imports every element (components/index.ts) has them already.
 *
 * Owns: those imports, and trying one again on a later opening when it failed.
 * Never: renders anything, or imports those elements statically.
 */

export type PanelName = 'devices' | 'keypad';

const TAGS: Record<PanelName, string> = { devices: 'device-select', keypad: 'dtmf-keypad' };
const IMPORTS: Record<PanelName, () => Promise<unknown>> = {
  devices: () => import('../../device-select/device-select.js'),
  keypad: () => import('../../dtmf-keypad/dtmf-keypad.js'),
};
const loading = new Map<PanelName, Promise<boolean>>();

/** Loads the panel's element unless it is defined; resolves true once it is, false if it failed to load. */
export function definePanelElement(panel: PanelName): Promise<boolean> {
  if (customElements.get(TAGS[panel])) return Promise.resolve(true);
  let pending = loading.get(panel);
  if (!pending) {
    pending = IMPORTS[panel]().then(
      () => true,
      (error: unknown) => {
        // A failed fetch (the network dropped): the next opening of the panel tries again.
        loading.delete(panel);
        console.warn(`matrix call kit: the ${TAGS[panel]} element did not load`, error);
        return false;
      },
    );
    loading.set(panel, pending);
  }
  return pending;
}
