// The entry of the media encryption worker: livekit-client's E2EE worker, which installs its own
// message handler when loaded. livekit-room-adapter.ts starts it as a module worker from
// `new URL('./e2ee-worker.js', import.meta.url)`.
//
// Plain JavaScript on purpose: the file must exist under this name in the sources (the dev server and
// the test runner serve it as is), in dist/esm (bundlers follow the `new URL` and the bare import) and
// next to the adapter's chunk in the drop-in build (rollup.config.js emits it to dist/chunks/).
//
// Owns: nothing but that import. Never: runs on the page's main thread.
import 'livekit-client/e2ee-worker';
