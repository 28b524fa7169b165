/**
 * Turns a received voice message into a loader of its playable audio: downloads the file and, for an
 * encrypted attachment, checks its hash and decrypts it.
 *
 * Owns: that step. Never: plays audio, or hands out data whose hash did not match (the loader rejects).
 */
import type { VoiceMessage } from '../signalling/ptt/voice-message-event.js';
import { decryptAttachment } from './attachment-crypto.js';

export type Download = (contentUri: string) => Promise<Blob>;

export function voiceMessageLoader(message: VoiceMessage, download: Download): () => Promise<Blob> {
  return async () => {
    const type = message.mimetype.split(';')[0]!.trim() || 'audio/ogg';
    if ('url' in message.media) {
      const blob = await download(message.media.url);
      return blob.type ? blob : new Blob([blob], { type });
    }
    const { file } = message.media;
    const ciphertext = await (await download(file.url)).arrayBuffer();
    const plain = await decryptAttachment(ciphertext, file);
    if (!plain.ok) throw new Error(`The voice message could not be decrypted: ${plain.reason}`);
    return new Blob([plain.value], { type });
  };
}
