import { expect } from '@open-wc/testing';
import {
  chooseLivekitFocus,
  focusFromMemberships,
  membershipFocusFields,
  NoLivekitFocusError,
  parseLivekitFocus,
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
      source: 'membership',
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

  it('parses foci without throwing and rejects non-http URLs', () => {
    expect(parseLivekitFocus('https://x.example/jwt').ok).to.equal(true);
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

  it('prefers memberships, then configuration, then the host', async () => {
    const host = async () => [{ type: 'livekit', livekit_service_url: 'https://host.example/jwt' }];
    const withMembers = await chooseLivekitFocus({
      memberships: [m('a', 1, ecFoci('https://member.example/jwt'))],
      configured: ['https://config.example/jwt'],
      hostTransports: host,
    });
    expect([withMembers.source, withMembers.focus.serviceUrl]).to.deep.equal([
      'membership',
      'https://member.example/jwt',
    ]);
    const configured = await chooseLivekitFocus({
      configured: [{ type: 'livekit', livekit_service_url: 'https://config.example/jwt' }],
      hostTransports: host,
    });
    expect(configured.source).to.equal('configuration');
    const fromHost = await chooseLivekitFocus({
      configured: [],
      hostTransports: async () => [
        { type: 'turn' },
        { type: 'livekit', livekit_service_url: 'https://host.example/jwt' },
      ],
    });
    expect([fromHost.source, fromHost.focus.serviceUrl]).to.deep.equal(['host', 'https://host.example/jwt']);
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
      focus_active: { type: 'livekit', focus_selection: 'oldest_membership' },
      foci_preferred: [
        { type: 'livekit', livekit_service_url: 'https://x.example/jwt', livekit_alias: ROOM },
      ],
    });
  });
});
