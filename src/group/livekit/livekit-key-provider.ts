/**
 * The LiveKit side of the media key ring: a livekit-client key provider with one key per participant
 * (not the single shared passphrase of ExternalE2EEKeyProvider, which cannot hold per-sender keys),
 * configured as Element Call configures its MatrixKeyProvider: key ring of 256 slots, ratchet window 10,
 * raw key bytes imported as HKDF material.
 *
 * This module imports livekit-client. Reach it only through `await import()` (load-key-provider.ts)
 * so livekit-client lands in a lazy chunk and the drop-in bundle stays small.
 *
 * Owns: turning (identity, bytes, index) into livekit-client key provider calls, in arrival order.
 * Never: makes or rotates keys (key-ring.ts) or talks to Matrix.
 */
import { BaseKeyProvider } from 'livekit-client';
import type { KeyProviderSink } from './key-ring.js';

export const LIVEKIT_KEY_PROVIDER_OPTIONS = {
  sharedKey: false,
  ratchetWindowSize: 10,
  keyringSize: 256,
} as const;

export class MatrixKeyProvider extends BaseKeyProvider implements KeyProviderSink {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (error: unknown) => void = () => {}) {
    super(LIVEKIT_KEY_PROVIDER_OPTIONS);
  }

  setKey(participantIdentity: string, keyBytes: Uint8Array, index: number): void {
    const material = new Uint8Array(keyBytes);
    // Imports are asynchronous; chaining keeps the order in which the key ring handed keys over.
    this.queue = this.queue
      .then(() => crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveBits', 'deriveKey']))
      .then((key) => this.onSetEncryptionKey(key, participantIdentity, index))
      .catch((error: unknown) => this.onError(error));
  }

  /** Resolves when every key handed over so far has reached livekit-client. */
  whenSet(): Promise<void> {
    return this.queue;
  }
}
