/**
 * The one door to livekit-client's key provider: a dynamic import, so bundlers put livekit-client
 * in its own chunk that is fetched only when an SFU call starts.
 *
 * Owns: loading livekit-key-provider.ts. Never: imports livekit-client statically (not even types
 * that would survive compilation).
 */
import type { MatrixKeyProvider } from './livekit-key-provider.js';

export type { MatrixKeyProvider };

export async function loadMatrixKeyProvider(onError?: (error: unknown) => void): Promise<MatrixKeyProvider> {
  const module = await import('./livekit-key-provider.js');
  return new module.MatrixKeyProvider(onError);
}
