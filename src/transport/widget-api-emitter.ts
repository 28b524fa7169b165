/**
 * The event emitter that the built widget page and drop-in bundle give matrix-widget-api in place of
 * the npm `events` package (the build swaps it in: scripts/widget-api-es-build.mjs). matrix-widget-api
 * extends EventEmitter for its WidgetApi and PostmessageTransport and calls only on, once, off and
 * emit on them, as the kit does; Node's full emitter is about 2 KB gzip of the widget's first load.
 *
 * Semantics kept from Node's emitter, where the library or the kit could notice them: listeners run
 * synchronously in the order added, with `this` the emitter; a listener added or removed during an
 * emit does not change that emit; `off` removes the last-added copy of a listener, including one added
 * with `once`; `emit` answers whether any listener ran.
 *
 * Owns: the listener lists of one emitter. Never: catches a listener's error (it reaches the emitter's
 * caller, as in Node), or treats an 'error' event specially.
 */
type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A `once` wrapper remembers the listener it wraps, so `off(listener)` can find it. */
interface OnceWrapper extends Listener {
  listener: Listener;
}

export class EventEmitter {
  private readonly lists = new Map<string | symbol, Listener[]>();

  on(event: string | symbol, listener: Listener): this {
    const list = this.lists.get(event);
    if (list) list.push(listener);
    else this.lists.set(event, [listener]);
    return this;
  }

  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }

  once(event: string | symbol, listener: Listener): this {
    const wrapper = ((...args: unknown[]) => {
      this.off(event, wrapper);
      listener.apply(this, args);
    }) as OnceWrapper;
    wrapper.listener = listener;
    return this.on(event, wrapper);
  }

  off(event: string | symbol, listener: Listener): this {
    const list = this.lists.get(event);
    if (!list) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      const entry = list[i] as Listener | OnceWrapper;
      if (entry === listener || ('listener' in entry && entry.listener === listener)) {
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) this.lists.delete(event);
    return this;
  }

  removeListener(event: string | symbol, listener: Listener): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.lists.clear();
    else this.lists.delete(event);
    return this;
  }

  emit(event: string | symbol, ...args: unknown[]): boolean {
    const list = this.lists.get(event);
    if (!list) return false;
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listenerCount(event: string | symbol): number {
    return this.lists.get(event)?.length ?? 0;
  }
}
