/**
 * The entry of the media encryption worker: livekit-client's E2EE worker, which installs its own
 * message handler when loaded. livekit-room-adapter.ts starts it as a module worker next to itself.
 *
 * Owns: nothing but that import. Never: runs on the page's main thread.
 */
import 'livekit-client/e2ee-worker';
