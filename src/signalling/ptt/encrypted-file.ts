/**
 * The wire shape of a Matrix encrypted attachment (`EncryptedFile`, spec: "Sending encrypted attachments"):
 * its type and a parser that checks every field before anyone tries to decrypt.
 *
 * Owns: the field names and their encodings (JWK A256CTR key, unpadded base64 iv and sha256, v2).
 * Never: throws or does cryptography (that is src/ptt/attachment-crypto.ts).
 */
import { accept, isNonEmptyString, isRecord, reject, type Parsed } from './parsed.js';

export interface AttachmentJwk {
  readonly kty: 'oct';
  readonly key_ops: readonly string[];
  readonly alg: 'A256CTR';
  /** 32 bytes, unpadded base64url. */
  readonly k: string;
  readonly ext: true;
}

export interface EncryptedFile {
  readonly url: string;
  readonly key: AttachmentJwk;
  /** 16 bytes, unpadded base64. */
  readonly iv: string;
  /** sha256 of the ciphertext, unpadded base64. */
  readonly hashes: { readonly sha256: string; readonly [alg: string]: string };
  readonly v: 'v2';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export function isMxcUri(value: unknown): value is string {
  return typeof value === 'string' && /^mxc:\/\/[^/]+\/[^/]+$/.test(value) && value.length <= 2048;
}

export function parseEncryptedFile(value: unknown): Parsed<EncryptedFile> {
  if (!isRecord(value)) return reject('file must be an object');
  const { url, key, iv, hashes, v } = value;
  if (!isMxcUri(url)) return reject('file.url must be an mxc:// URI');
  if (v !== 'v2') return reject('file.v must be v2');
  if (!isRecord(key)) return reject('file.key must be a JWK object');
  if (key['kty'] !== 'oct' || key['alg'] !== 'A256CTR') return reject('file.key must be an A256CTR oct key');
  if (key['ext'] !== true) return reject('file.key.ext must be true');
  const ops = key['key_ops'];
  if (!Array.isArray(ops) || !ops.includes('decrypt') || !ops.every((op) => typeof op === 'string')) {
    return reject('file.key.key_ops must include decrypt');
  }
  const k = key['k'];
  if (!isNonEmptyString(k, 64) || !BASE64URL.test(k)) return reject('file.key.k must be base64url');
  if (!isNonEmptyString(iv, 32) || !BASE64.test(iv)) return reject('file.iv must be base64');
  if (!isRecord(hashes)) return reject('file.hashes must be an object');
  const sha256 = hashes['sha256'];
  if (!isNonEmptyString(sha256, 64) || !BASE64.test(sha256))
    return reject('file.hashes.sha256 must be base64');
  return accept({
    url,
    key: { kty: 'oct', alg: 'A256CTR', ext: true, k, key_ops: ops as string[] },
    iv,
    hashes: { sha256 },
    v: 'v2',
  });
}
