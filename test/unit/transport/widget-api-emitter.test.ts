import { expect } from '@open-wc/testing';
import { EventEmitter } from '../../../src/transport/widget-api-emitter.js';

// Node's emitter methods that a caller could use; the check below finds those matrix-widget-api calls.
const EMITTER_METHODS = [
  'on',
  'once',
  'off',
  'emit',
  'addListener',
  'removeListener',
  'removeAllListeners',
  'prependListener',
  'prependOnceListener',
  'listeners',
  'rawListeners',
  'listenerCount',
  'setMaxListeners',
  'getMaxListeners',
  'eventNames',
];

// The library's files that extend EventEmitter (the built widget swaps their `events` import).
const WIDGET_API_EMITTERS = [
  '/node_modules/matrix-widget-api/src/WidgetApi.ts',
  '/node_modules/matrix-widget-api/src/transport/PostmessageTransport.ts',
];

describe('the widget build’s event emitter for matrix-widget-api', () => {
  it('has every emitter method that matrix-widget-api’s widget side calls', async () => {
    const called = new Set<string>();
    for (const path of WIDGET_API_EMITTERS) {
      const response = await fetch(path);
      expect(response.ok, path).to.equal(true);
      const source = await response.text();
      expect(source.includes('extends EventEmitter'), `${path} extends EventEmitter`).to.equal(true);
      for (const method of EMITTER_METHODS) {
        if (new RegExp(`\\.${method}\\(`).test(source)) called.add(method);
      }
    }
    expect([...called]).to.include.members(['on', 'off', 'once', 'emit']);
    const emitter = new EventEmitter() as unknown as Record<string, unknown>;
    const missing = [...called].filter((method) => typeof emitter[method] !== 'function');
    expect(missing).to.deep.equal([]);
  });

  it('runs listeners in the order added, with the emitter as this, and says whether any ran', () => {
    const emitter = new EventEmitter();
    const seen: string[] = [];
    emitter.on('x', function (this: unknown, a: number) {
      seen.push(`first ${a} ${this === emitter}`);
    });
    emitter.on('x', (a: number) => seen.push(`second ${a}`));
    expect(emitter.emit('x', 1)).to.equal(true);
    expect(emitter.emit('nobody')).to.equal(false);
    expect(seen).to.deep.equal(['first 1 true', 'second 1']);
  });

  it('runs a once listener one time, and off removes it before it ran', () => {
    const emitter = new EventEmitter();
    let runs = 0;
    const listener = () => runs++;
    emitter.once('ready', listener);
    emitter.emit('ready');
    emitter.emit('ready');
    expect(runs).to.equal(1);
    emitter.once('ready', listener);
    emitter.off('ready', listener);
    emitter.emit('ready');
    expect(runs).to.equal(1);
    expect(emitter.listenerCount('ready')).to.equal(0);
  });

  it('keeps one emit’s listener list fixed while listeners add or remove others', () => {
    const emitter = new EventEmitter();
    const seen: string[] = [];
    const late = () => seen.push('late');
    const second = () => seen.push('second');
    emitter.on('x', () => {
      seen.push('first');
      emitter.off('x', second);
      emitter.on('x', late);
    });
    emitter.on('x', second);
    emitter.emit('x');
    expect(seen).to.deep.equal(['first', 'second']);
    seen.length = 0;
    emitter.emit('x');
    expect(seen).to.deep.equal(['first', 'late']);
  });

  it('removes only the last-added copy of a listener added twice', () => {
    const emitter = new EventEmitter();
    let runs = 0;
    const listener = () => runs++;
    emitter.on('x', listener).on('x', listener);
    emitter.off('x', listener);
    emitter.emit('x');
    expect(runs).to.equal(1);
    emitter.removeAllListeners();
    expect(emitter.emit('x')).to.equal(false);
  });

  it('lets a listener’s error reach the caller of emit', () => {
    const emitter = new EventEmitter();
    emitter.on('x', () => {
      throw new Error('listener failed');
    });
    expect(() => emitter.emit('x')).to.throw('listener failed');
  });
});
