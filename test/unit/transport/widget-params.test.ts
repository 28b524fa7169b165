import { expect } from '@open-wc/testing';
import { parseWidgetParams } from '../../../src/transport/widget-params.js';

const base = 'https://kit.example/widget.html';
const full =
  'roomId=!r:example.org&userId=@a:example.org&deviceId=DEV&baseUrl=https://matrix.example.org&theme=dark&lang=de';
const host = 'widgetId=w1&parentUrl=' + encodeURIComponent('https://app.element.io/#/room/!r:example.org');

describe('parseWidgetParams', () => {
  it('reads everything from the query string', () => {
    const parsed = parseWidgetParams(`${base}?${host}&${full}`);
    expect(parsed).to.deep.equal({
      ok: true,
      value: {
        widgetId: 'w1',
        parentUrl: 'https://app.element.io/#/room/!r:example.org',
        parentOrigin: 'https://app.element.io',
        roomId: '!r:example.org',
        userId: '@a:example.org',
        deviceId: 'DEV',
        baseUrl: 'https://matrix.example.org',
        theme: 'dark',
        lang: 'de',
      },
    });
  });

  it('combines host parameters in the query with template variables in the #? fragment', () => {
    const parsed = parseWidgetParams(`${base}?${host}#?${full}`);
    expect(parsed.ok && parsed.value.roomId).to.equal('!r:example.org');
    expect(parsed.ok && parsed.value.widgetId).to.equal('w1');
    expect(parsed.ok && parsed.value.lang).to.equal('de');
  });

  it('prefers the query string when both carry a name', () => {
    const parsed = parseWidgetParams(`${base}?${host}&theme=light#?${full}`);
    expect(parsed.ok && parsed.value.theme).to.equal('light');
  });

  it('leaves optional parameters out when absent or not filled in by the host', () => {
    const parsed = parseWidgetParams(
      `${base}?${host}#?roomId=!r:x&userId=@a:x&deviceId=D&theme=$org.matrix.msc2873.client_theme`,
    );
    expect(parsed.ok).to.equal(true);
    expect(parsed.ok && 'theme' in parsed.value).to.equal(false);
    expect(parsed.ok && 'baseUrl' in parsed.value).to.equal(false);
  });

  it('names what is missing', () => {
    const parsed = parseWidgetParams(`${base}?widgetId=w1#?userId=@a:x&roomId=$matrix_room_id`);
    expect(parsed.ok).to.equal(false);
    expect(!parsed.ok && parsed.reason).to.contain('parentUrl, roomId, deviceId');
  });

  it('rejects malformed ids and URLs with a reason, never throwing', () => {
    const cases = [
      `${base}?${host}&roomId=r&userId=@a:x&deviceId=D`,
      `${base}?${host}&roomId=!r:x&userId=alice&deviceId=D`,
      `${base}?widgetId=w&parentUrl=nope&roomId=!r:x&userId=@a:x&deviceId=D`,
      `${base}?${host}&roomId=!r:x&userId=@a:x&deviceId=D&baseUrl=javascript:alert(1)`,
      'not a url',
      '',
    ];
    for (const href of cases) {
      const parsed = parseWidgetParams(href);
      expect(parsed.ok, href).to.equal(false);
      expect(!parsed.ok && parsed.reason.length, href).to.be.greaterThan(10);
    }
  });

  describe('group call parameters', () => {
    const ids = `${host}&roomId=!r:x&userId=@a:x&deviceId=D`;

    it('reads groupBackend and livekitServiceUrl, from the query or the fragment', () => {
      for (const backend of ['mesh', 'livekit', 'auto'] as const) {
        const parsed = parseWidgetParams(`${base}?${ids}&groupBackend=${backend}`);
        expect(parsed.ok && parsed.value.groupBackend, backend).to.equal(backend);
      }
      const url = 'https://matrix-rtc.example.org/livekit/jwt';
      const parsed = parseWidgetParams(`${base}?${ids}#?livekitServiceUrl=${encodeURIComponent(url)}`);
      expect(parsed.ok && parsed.value.livekitServiceUrl).to.equal(url);
    });

    it('leaves them out when absent', () => {
      const parsed = parseWidgetParams(`${base}?${ids}`);
      expect(parsed.ok).to.equal(true);
      expect(parsed.ok && 'groupBackend' in parsed.value).to.equal(false);
      expect(parsed.ok && 'livekitServiceUrl' in parsed.value).to.equal(false);
    });

    it('rejects an unknown backend or a service URL that is not http(s), naming the parameter', () => {
      const badBackend = parseWidgetParams(`${base}?${ids}&groupBackend=sfu`);
      expect(badBackend.ok).to.equal(false);
      expect(!badBackend.ok && badBackend.reason).to.contain('groupBackend must be mesh, livekit or auto');
      for (const value of ['javascript:alert(1)', 'not a url', 'wss://rtc.example.org']) {
        const parsed = parseWidgetParams(`${base}?${ids}&livekitServiceUrl=${encodeURIComponent(value)}`);
        expect(parsed.ok, value).to.equal(false);
        expect(!parsed.ok && parsed.reason, value).to.contain('livekitServiceUrl');
      }
    });
  });
});
