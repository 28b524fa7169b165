/**
 * The media port: where calls, group calls and the walkie-talkie get their local media. The browser's
 * devices (src/media/local-media.ts) implement it; tests and the controller pass their own.
 *
 * Owns: the shape only. Never: behaviour, or an import of the code that uses or implements it.
 */
import type { CallKind } from '../snapshot.js';

/** Where a call gets its local media; a seam so tests and the controller share devices. */
export interface LocalMediaSource {
  /** Rejects with a KitMediaError (src/media/) whose code says no-device, device-in-use or permission-denied. */
  getUserMedia(kind: CallKind): Promise<MediaStream>;
  getDisplayMedia(): Promise<MediaStream>;
  /**
   * True when getUserMedia(kind) will not show the person a permission prompt (already granted). An
   * answering call then sends its answer while the devices open. Absent or false: it waits for them.
   */
  grantedWithoutPrompt?(kind: CallKind): Promise<boolean>;
  /**
   * The same answer without waiting, when the permission states are known already (the usual case once
   * the source has watched them for a moment); undefined while they are not. A call then starts opening
   * the devices before anything else runs.
   */
  grantedWithoutPromptNow?(kind: CallKind): boolean | undefined;
}
