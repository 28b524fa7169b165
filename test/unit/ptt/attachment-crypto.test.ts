import { expect } from '@open-wc/testing';
import { decryptAttachment, encryptAttachment } from '../../../src/ptt/attachment-crypto.js';
import { fromBase64, toBase64Url, toUnpaddedBase64 } from '../../../src/encoding/base64.js';
import { parseEncryptedFile } from '../../../src/signalling/ptt/encrypted-file.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

async function sha256Base64(data: Uint8Array<ArrayBuffer>): Promise<string> {
  return toUnpaddedBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
}

describe('attachment encryption', () => {
  it('round-trips a file and writes the spec fields (v2, unpadded base64, low iv bytes zero)', async () => {
    const plain = crypto.getRandomValues(new Uint8Array(50_000));
    const { ciphertext, secrets } = await encryptAttachment(plain);
    expect(ciphertext.length).to.equal(plain.length);
    expect(toHex(ciphertext.subarray(0, 32))).to.not.equal(toHex(plain.subarray(0, 32)));
    expect(secrets.v).to.equal('v2');
    expect(secrets.key).to.deep.include({ kty: 'oct', alg: 'A256CTR', ext: true });
    expect(secrets.key.key_ops).to.include.members(['encrypt', 'decrypt']);
    expect(secrets.iv).to.not.match(/=/);
    expect(secrets.hashes.sha256).to.not.match(/=/);
    expect(secrets.key.k).to.match(/^[A-Za-z0-9_-]{43}$/);
    const iv = fromBase64(secrets.iv)!;
    expect(iv.length).to.equal(16);
    expect([...iv.subarray(8)]).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(secrets.hashes.sha256).to.equal(await sha256Base64(ciphertext));
    expect(parseEncryptedFile({ url: 'mxc://x/y', ...secrets }).ok).to.equal(true);

    const back = await decryptAttachment(ciphertext, secrets);
    expect(back.ok).to.equal(true);
    expect(back.ok && toHex(back.value)).to.equal(toHex(plain));
  });

  it('uses a fresh key and iv for every file', async () => {
    const plain = new Uint8Array(64);
    const a = await encryptAttachment(plain);
    const b = await encryptAttachment(plain);
    expect(a.secrets.key.k).to.not.equal(b.secrets.key.k);
    expect(a.secrets.iv).to.not.equal(b.secrets.iv);
    expect(toHex(a.ciphertext)).to.not.equal(toHex(b.ciphertext));
  });

  it('rejects a tampered hash, tampered ciphertext, or a wrong key without decrypting', async () => {
    const { ciphertext, secrets } = await encryptAttachment(new TextEncoder().encode('over and out'));
    const wrongHash = await decryptAttachment(ciphertext, {
      ...secrets,
      hashes: { sha256: toUnpaddedBase64(new Uint8Array(32)) },
    });
    expect(wrongHash).to.deep.equal({ ok: false, reason: 'the sha256 hash does not match the file' });
    const flipped = new Uint8Array(ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    expect((await decryptAttachment(flipped, secrets)).ok).to.equal(false);
    const shortKey = { ...secrets, key: { ...secrets.key, k: 'AAAA' } };
    expect(await decryptAttachment(ciphertext, shortKey)).to.deep.equal({
      ok: false,
      reason: 'the key is not 256 bits',
    });
    expect((await decryptAttachment(ciphertext, { ...secrets, iv: 'AAAA' })).ok).to.equal(false);
  });

  it('decrypts the NIST SP 800-38A CTR-AES256 vector (a known answer, not our own output)', async () => {
    const ciphertext = hex(
      '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5' +
        '2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6',
    );
    const secrets = {
      key: {
        kty: 'oct' as const,
        key_ops: ['encrypt', 'decrypt'],
        alg: 'A256CTR' as const,
        k: toBase64Url(hex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4')),
        ext: true as const,
      },
      iv: toUnpaddedBase64(hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff')),
      hashes: { sha256: await sha256Base64(ciphertext) },
      v: 'v2' as const,
    };
    const plain = await decryptAttachment(ciphertext, secrets);
    expect(plain.ok && toHex(plain.value)).to.equal(
      '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
        '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
    );
  });
});
