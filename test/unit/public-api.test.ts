import { expect } from '@open-wc/testing';
import * as kit from '../../src/index.js';

// The names README and docs/ tell npm users to import from 'matrix-call-kit'.
describe('the public API of the core', () => {
  it('exports the controller, the widget transport, the group call and walkie-talkie engines and media', () => {
    for (const name of [
      'CallController',
      'DEFAULT_CONTROLLER_SETTINGS',
      'WidgetTransport',
      'parseWidgetParams',
      'CapabilityDeniedError',
      'MeshGroupCall',
      'GroupCallSession',
      'MembershipManager',
      'lazyBackendFactory',
      'GROUP_CALL_ID',
      'WalkieTalkie',
      'walkieTalkieNeeds',
      'BrowserMediaSource',
      'KitMediaError',
    ]) {
      expect(typeof (kit as Record<string, unknown>)[name], name).to.be.oneOf([
        'function',
        'string',
        'object',
      ]);
    }
  });

  it('parseWidgetParams reads the widget URL and names what is missing', () => {
    const ok = kit.parseWidgetParams(
      'https://w.example/widget.html?widgetId=w1&roomId=!r:x&userId=@a:x&deviceId=D&parentUrl=https://host.example',
    );
    expect(ok.ok && ok.value.roomId).to.equal('!r:x');
    const missing = kit.parseWidgetParams('https://w.example/widget.html?widgetId=w1');
    expect(missing.ok).to.equal(false);
  });
});
