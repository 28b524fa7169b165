import { expect } from '@open-wc/testing';
import { KIT_ERROR_CODES, kitErrorFromThrown, transportFailure } from '../../src/kit-errors.js';

describe('kit errors', () => {
  it('reads a thrown error carrying a kit code, and nothing else', () => {
    const thrown = Object.assign(new Error('No camera was found.'), {
      code: 'no-device',
      detail: 'NotFoundError',
    });
    expect(kitErrorFromThrown(thrown)).to.deep.equal({
      code: 'no-device',
      message: 'No camera was found.',
      detail: 'NotFoundError',
    });
    expect(kitErrorFromThrown(Object.assign(new Error('x'), { code: 'made-up' }))).to.equal(undefined);
    expect(kitErrorFromThrown(new Error('no code'))).to.equal(undefined);
    expect(kitErrorFromThrown('a string')).to.equal(undefined);
    for (const code of KIT_ERROR_CODES) {
      expect(kitErrorFromThrown({ code, message: 'm' })?.code, code).to.equal(code);
    }
  });

  it('wraps a cause without a code as transport, the cause as the detail', () => {
    const error = transportFailure('Reload the widget.', new TypeError('failed to fetch'));
    expect(error).to.deep.equal({
      code: 'transport',
      message: 'Reload the widget.',
      detail: 'TypeError: failed to fetch',
    });
    expect(Object.isFrozen(error)).to.equal(true);
  });
});
