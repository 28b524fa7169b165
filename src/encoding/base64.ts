/**
 * Base64 for the whole kit: padded and unpadded standard base64 and base64url, the encodings Matrix,
 * MatrixRTC and LiveKit use for keys, ivs, hashes, ids and tokens.
 *
 * Owns: byte <-> text conversion. Never: throws on bad input (the decoder returns undefined).
 */

/** Padded standard base64 (as matrix-js-sdk's encodeBase64 and Dart's base64Encode write it). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function toUnpaddedBase64(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/=+$/, '');
}

export function toBase64Url(bytes: Uint8Array): string {
  return toUnpaddedBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_');
}

/** Accepts padded or unpadded, standard or url-safe alphabets. */
export function fromBase64(text: string): Uint8Array | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(standard) || standard.length % 4 === 1) return undefined;
  try {
    const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
