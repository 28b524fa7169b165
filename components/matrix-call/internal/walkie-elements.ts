/**
 * Defines the walkie-talkie view's elements (<ptt-button>, <ptt-messages>) the first time that view
 * renders, through import(): a page that never opens the walkie-talkie (the widget page for a 1:1 or
 * group call) never fetches them. The tags rendered before their definitions arrive upgrade when they do.
 * A page that imports every element (components/index.ts, the drop-in bundle) has them already.
 *
 * Owns: that one import, and trying it again on a later render when it failed.
 * Never: renders anything, or imports those elements statically.
 */

let loading: Promise<void> | undefined;

/** Starts loading the walkie-talkie elements unless they are defined or on their way; never throws. */
export function defineWalkieElements(): void {
  if (loading) return;
  if (customElements.get('ptt-button') && customElements.get('ptt-messages')) {
    loading = Promise.resolve();
    return;
  }
  loading = import('./walkie-controls.js').then(
    () => undefined,
    (error: unknown) => {
      // A failed fetch (the network dropped): the next render of the view tries again.
      loading = undefined;
      console.warn('matrix call kit: the walkie-talkie controls did not load', error);
    },
  );
}
