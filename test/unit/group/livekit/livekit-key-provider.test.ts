import { expect } from '@open-wc/testing';
import { KeyProviderEvent, type KeyInfo } from 'livekit-client';
import { loadMatrixKeyProvider } from '../../../../src/group/livekit/load-key-provider.js';
import { KeyRing } from '../../../../src/group/livekit/key-ring.js';

type SetKeyInfo = KeyInfo;

describe('MatrixKeyProvider (livekit-client, loaded lazily)', () => {
  it('hands per-participant keys to livekit-client as HKDF material, in order, with a 256-slot ring', async () => {
    const provider = await loadMatrixKeyProvider();
    expect(provider.getOptions()).to.include({ sharedKey: false, keyringSize: 256, ratchetWindowSize: 10 });
    const seen: SetKeyInfo[] = [];
    provider.on(KeyProviderEvent.SetKey, (info: SetKeyInfo) => seen.push(info));
    provider.setKey('@alice:example.org:ALICE', new Uint8Array(16).fill(1), 0);
    provider.setKey('@bob:example.org:BOB', new Uint8Array(16).fill(2), 200);
    provider.setKey('@alice:example.org:ALICE', new Uint8Array(16).fill(3), 1);
    await provider.whenSet();
    expect(seen.map((s) => `${s.participantIdentity}#${s.keyIndex}`)).to.deep.equal([
      '@alice:example.org:ALICE#0',
      '@bob:example.org:BOB#200',
      '@alice:example.org:ALICE#1',
    ]);
    expect(seen[0]!.key.algorithm.name).to.equal('HKDF');
    expect(provider.getKeys()).to.have.length(3);
  });

  it('receives the key ring own and remote keys through the sink interface', async () => {
    const provider = await loadMatrixKeyProvider();
    const ring = new KeyRing({
      own: { userId: '@me:example.org', deviceId: 'ME', memberId: '@me:example.org:ME' },
      send: async () => {},
      sink: provider,
    });
    ring.setMembers([{ userId: '@alice:example.org', deviceId: 'ALICE', membershipTs: 1 }]);
    await ring.settled();
    ring.receiveKey({ userId: '@alice:example.org', deviceId: 'ALICE' }, 7, new Uint8Array(16).fill(5));
    await provider.whenSet();
    const keys = provider
      .getKeys()
      .map((k) => `${k.participantIdentity}#${k.keyIndex}`)
      .sort();
    expect(keys).to.deep.equal(['@alice:example.org:ALICE#7', '@me:example.org:ME#0']);
    ring.dispose();
  });

  it('reports a key it cannot import instead of throwing', async () => {
    const errors: unknown[] = [];
    const provider = await loadMatrixKeyProvider((e) => errors.push(e));
    provider.setKey('@alice:example.org:ALICE', new Uint8Array(0), 0);
    await provider.whenSet();
    // WebCrypto refuses zero-length HKDF material in Chromium; if it ever accepts it, no error is fine too.
    expect(provider.getKeys().length + errors.length).to.equal(1);
  });
});
