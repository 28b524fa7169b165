/**
 * Matrix attachment encryption (spec: "Sending encrypted attachments") with WebCrypto: AES-CTR with a fresh
 * 256-bit key per file (as a JWK), a 16-byte counter block whose low 8 bytes are zero, and the SHA-256 of
 * the ciphertext, all as unpadded base64; `v: "v2"`.
 *
 * Owns: encrypting a recording before upload and decrypting a downloaded one after checking its hash.
 * Never: uploads or downloads, reuses a key or iv, or decrypts data whose hash does not match. Failures are
 * returned as reasons, not thrown.
 */
import type { AttachmentJwk, EncryptedFile } from '../signalling/ptt/encrypted-file.js';
import { accept, reject, type Parsed } from '../signalling/ptt/parsed.js';
import { fromBase64, toUnpaddedBase64 } from '../encoding/base64.js';

/** The encryption fields of an EncryptedFile; `url` is added once the ciphertext is uploaded. */
export type AttachmentSecrets = Omit<EncryptedFile, 'url'>;

export interface EncryptedAttachment {
  readonly ciphertext: Uint8Array<ArrayBuffer>;
  readonly secrets: AttachmentSecrets;
}

/** AES-CTR with the counter in the low 64 bits of the block, as the spec's v2 requires. */
const COUNTER_BITS = 64;

function bytesOf(data: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  return data instanceof Uint8Array ? new Uint8Array(data) : new Uint8Array(data);
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<string> {
  return toUnpaddedBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
}

export async function encryptAttachment(plaintext: ArrayBuffer | Uint8Array): Promise<EncryptedAttachment> {
  const key = await crypto.subtle.generateKey({ name: 'AES-CTR', length: 256 }, true, ['encrypt', 'decrypt']);
  const iv = new Uint8Array(16);
  crypto.getRandomValues(iv.subarray(0, 8)); // the low 8 bytes stay zero: room for 2^64 blocks
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-CTR', counter: iv, length: COUNTER_BITS },
      key,
      bytesOf(plaintext),
    ),
  );
  const jwk = await crypto.subtle.exportKey('jwk', key);
  if (typeof jwk.k !== 'string') throw new Error('WebCrypto exported a key without k');
  const attachmentKey: AttachmentJwk = {
    kty: 'oct',
    key_ops: ['encrypt', 'decrypt'],
    alg: 'A256CTR',
    k: jwk.k,
    ext: true,
  };
  return {
    ciphertext,
    secrets: {
      key: attachmentKey,
      iv: toUnpaddedBase64(iv),
      hashes: { sha256: await sha256(ciphertext) },
      v: 'v2',
    },
  };
}

/** Checks the ciphertext's SHA-256 against the event's, then decrypts. */
export async function decryptAttachment(
  ciphertext: ArrayBuffer | Uint8Array,
  secrets: AttachmentSecrets,
): Promise<Parsed<Uint8Array<ArrayBuffer>>> {
  const data = bytesOf(ciphertext);
  const expected = fromBase64(secrets.hashes.sha256);
  if (!expected || expected.length !== 32) return reject('the sha256 hash is not 32 bytes of base64');
  if ((await sha256(data)) !== toUnpaddedBase64(expected))
    return reject('the sha256 hash does not match the file');
  const iv = fromBase64(secrets.iv);
  if (!iv || iv.length !== 16) return reject('the iv is not 16 bytes');
  const raw = fromBase64(secrets.key.k);
  if (!raw || raw.length !== 32) return reject('the key is not 256 bits');
  if (secrets.key.alg !== 'A256CTR' || secrets.key.kty !== 'oct')
    return reject('the key is not an A256CTR key');
  try {
    const key = await crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'AES-CTR' }, false, [
      'decrypt',
    ]);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-CTR', counter: new Uint8Array(iv), length: COUNTER_BITS },
      key,
      data,
    );
    return accept(new Uint8Array(plain));
  } catch (error) {
    return reject(`decryption failed: ${String(error)}`);
  }
}
