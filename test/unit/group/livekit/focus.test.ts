import { expect } from '@open-wc/testing';
import {
  chooseLivekitFocus,
  focusFromMemberships,
  membershipFocusFields,
  NoLivekitFocusError,
  parseLivekitFocus,
  UntrustedFocusError,
  type FocusMembership,
} from '../../../../src/group/livekit/focus.js';

const ROOM = '!room:example.org';
const ecFoci = (url: string) => ({
  focusActive: { type: 'livekit', focus_selection: 'oldest_membership' },
  fociPreferred: [{ type: 'livekit', livekit_service_url: url, livekit_alias: ROOM }],
});
const m = (name: string, createdTs: number, extra: Partial<FocusMembership>): FocusMembership => ({
  userId: `@${name}:example.org`,
  deviceId: name.toUpperCase(),
  createdTs,
  ...extra,
});

describe('LiveKit focus choice', () => {
  it('follows the oldest membership’s first preferred focus (oldest_membership)', () => {
    const chosen = focusFromMemberships([
      m('bob', 2000, ecFoci('https://bob.example/livekit/jwt')),
      m('alice', 1000, ecFoci('https://alice.example/livekit/jwt/')),
      m('carol', 3000, ecFoci('https://carol.example/livekit/jwt')),
    ]);
    expect(chosen.ok && chosen.value).to.deep.equal({
      focus: { type: 'livekit', serviceUrl: 'https://alice.example/livekit/jwt', alias: ROOM },
      selection: 'oldest_membership',
      chosenFrom: { userId: '@alice:example.org', deviceId: 'ALICE' },
    });
  });

  it('breaks ties in age by user and device id, so every client agrees', () => {
    const a = m('zed', 1000, ecFoci('https://zed.example/jwt'));
    const b = m('amy', 1000, ecFoci('https://amy.example/jwt'));
    const first = focusFromMemberships([a, b]);
    const second = focusFromMemberships([b, a]);
    expect(first.ok && first.value.focus.serviceUrl).to.equal('https://amy.example/jwt');
    expect(second.ok && second.value.focus.serviceUrl).to.equal('https://amy.example/jwt');
  });

  it('reads famedly’s livekit backend (no focus_active) as the preferred focus', () => {
    const backend = {
      type: 'livekit',
      livekit_service_url: 'https://famedly.example/jwt',
      livekit_alias: ROOM,
    };
    const chosen = focusFromMemberships([m('fam', 5, { fociPreferred: [backend] })]);
    expect(chosen.ok && chosen.value.focus.serviceUrl).to.equal('https://famedly.example/jwt');
  });

  it('explains why the memberships gave nothing', () => {
    const mesh = focusFromMemberships([m('fam', 5, { fociPreferred: [{ type: 'mesh' }] })]);
    expect(!mesh.ok && mesh.reason).to.match(/names no LiveKit focus/);
    const odd = focusFromMemberships([
      m('x', 5, { focusActive: { type: 'livekit', focus_selection: 'nearest' }, fociPreferred: [] }),
    ]);
    expect(!odd.ok && odd.reason).to.match(/not understood/);
    const none = focusFromMemberships([]);
    expect(!none.ok && none.reason).to.match(/no members/);
  });

  it('parses foci without throwing; https only, http only on loopback', () => {
    expect(parseLivekitFocus('https://x.example/jwt').ok).to.equal(true);
    expect(parseLivekitFocus('http://x.example/jwt').ok, 'http off loopback').to.equal(false);
    expect(parseLivekitFocus('http://127.0.0.1:8080/jwt').ok).to.equal(true);
    expect(parseLivekitFocus('http://localhost:8000/livekit/jwt').ok).to.equal(true);
    expect(parseLivekitFocus('http://localhost.evil.example/jwt').ok).to.equal(false);
    expect(parseLivekitFocus('https://user:pw@x.example/jwt').ok, 'no credentials').to.equal(false);
    expect(parseLivekitFocus({ type: 'livekit', livekit_service_url: 'javascript:alert(1)' }).ok).to.equal(
      false,
    );
    expect(parseLivekitFocus({ type: 'livekit', livekit_service_url: 'not a url' }).ok).to.equal(false);
    expect(parseLivekitFocus({ type: 'livekit' }).ok).to.equal(false);
    expect(parseLivekitFocus(null).ok).to.equal(false);
    expect(
      parseLivekitFocus({ type: 'livekit', livekit_service_url: 'https://a', livekit_alias: 3 }).ok,
    ).to.equal(false);
  });

  it('trusts the host, then configuration, then the well-known; publishes to its own and writes multi_sfu', async () => {
    const host = async () => [{ type: 'livekit', livekit_service_url: 'https://host.example/jwt' }];
    const wellKnown = async () => [{ type: 'livekit', livekit_service_url: 'https://wk.example/jwt' }];
    const all = await chooseLivekitFocus({
      configured: ['https://config.example/jwt'],
      hostTransports: host,
      wellKnown,
    });
    expect([all.source, all.focus.serviceUrl, all.selection]).to.deep.equal([
      'host',
      'https://host.example/jwt',
      'multi_sfu',
    ]);
    const configured = await chooseLivekitFocus({ configured: ['https://config.example/jwt'], wellKnown });
    expect(configured.source).to.equal('configuration');
    const fromWellKnown = await chooseLivekitFocus({
      hostTransports: async () => {
        throw new Error('not supported');
      },
      wellKnown,
    });
    expect([fromWellKnown.source, fromWellKnown.focus.serviceUrl]).to.deep.equal([
      'well-known',
      'https://wk.example/jwt',
    ]);
    // In a multi_sfu call (Element Call 0.26) a member's focus does not change where this device publishes.
    const multi = await chooseLivekitFocus({
      memberships: [
        m('a', 1, {
          ...ecFoci('https://member.example/jwt'),
          focusActive: { type: 'livekit', focus_selection: 'multi_sfu' },
        }),
      ],
      configured: ['https://config.example/jwt'],
    });
    expect([multi.source, multi.focus.serviceUrl]).to.deep.equal([
      'configuration',
      'https://config.example/jwt',
    ]);
  });

  it("follows an oldest_membership call's focus only when it is trusted or the user agrees", async () => {
    const call = [m('mallory', 1, ecFoci('https://evil.example/jwt'))];
    let caught: unknown;
    await chooseLivekitFocus({ memberships: call, configured: ['https://config.example/jwt'] }).catch(
      (e: unknown) => {
        caught = e;
      },
    );
    expect(caught, 'an untrusted focus is refused').to.be.instanceOf(UntrustedFocusError);
    expect((caught as UntrustedFocusError).userMessage).to.match(/evil\.example.*@mallory:example\.org/);
    expect((caught as UntrustedFocusError).userMessage).to.match(/not sent/);

    const trusted = await chooseLivekitFocus({
      memberships: [m('alice', 1, ecFoci('https://config.example/jwt/'))],
      configured: ['https://config.example/jwt'],
    });
    expect([trusted.source, trusted.selection, trusted.chosenFrom?.userId]).to.deep.equal([
      'membership',
      'oldest_membership',
      '@alice:example.org',
    ]);

    const asked: string[] = [];
    const agreed = await chooseLivekitFocus({
      memberships: call,
      approve: async (focus, by) => {
        asked.push(`${focus.serviceUrl} ${by.userId}`);
        return true;
      },
    });
    expect(asked).to.deep.equal(['https://evil.example/jwt @mallory:example.org']);
    expect(agreed.focus.serviceUrl).to.equal('https://evil.example/jwt');
    // A member cannot smuggle in a clear-text URL: it does not parse, so the member names no focus.
    const clear = await chooseLivekitFocus({
      memberships: [m('mallory', 1, ecFoci('http://evil.example/jwt'))],
      configured: ['https://config.example/jwt'],
    });
    expect(clear.focus.serviceUrl).to.equal('https://config.example/jwt');
  });

  it('says in plain words what an admin must set up when there is no focus', async () => {
    let caught: unknown;
    try {
      await chooseLivekitFocus({
        memberships: [],
        hostTransports: async () => {
          throw new Error('The get_rtc_transports action is not supported by the client.');
        },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(NoLivekitFocusError);
    const error = caught as NoLivekitFocusError;
    expect(error.userMessage).to.match(/media server/);
    expect(error.adminHint).to.include('org.matrix.msc4143.rtc_foci');
    expect(error.adminHint).to.match(/LiveKit SFU/);
    expect(error.adminHint).to.match(/lk-jwt-service/);
    expect(error.tried.join('\n')).to.match(/not supported by the client/);
  });

  it('writes Element Call’s focus fields for the own membership', () => {
    expect(
      membershipFocusFields({ type: 'livekit', serviceUrl: 'https://x.example/jwt' }, ROOM),
    ).to.deep.equal({
      focus_active: { type: 'livekit', focus_selection: 'multi_sfu' },
      foci_preferred: [
        { type: 'livekit', livekit_service_url: 'https://x.example/jwt', livekit_alias: ROOM },
      ],
    });
  });
});
