/**
 * Loads focus-asking.ts (FocusApprovals and the question's markup) the first time <matrix-call> is asked
 * to approve a media server, and keeps it for every later question in the page.
 *
 * Owns: that import, and trying it again on a later question when it failed.
 * Never: answers a question (the element does, through FocusApprovals).
 */
export type FocusAsking = typeof import('./focus-asking.js');

let loaded: FocusAsking | undefined;
let loading: Promise<FocusAsking> | undefined;

/** The module once loaded, else undefined. */
export function focusAsking(): FocusAsking | undefined {
  return loaded;
}

/** Loads the module (once); rejects when it cannot be fetched, and the next call tries again. */
export function loadFocusAsking(): Promise<FocusAsking> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('./focus-asking.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
