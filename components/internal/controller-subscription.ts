/**
 * Connects an element to a call controller: finds it (the element's explicit `.controller` property
 * first, then the nearest `callControllerContext` provider), listens to its `change` event while the
 * element is connected, and asks the element to re-render after every transition.
 *
 * Never: calls controller actions or caches snapshots; the element reads `snapshot` when it renders.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallControllerApi, CallControllerView } from '../../src/snapshot.js';
import { callControllerContext } from './context.js';

export interface ControllerHost extends ReactiveControllerHost, HTMLElement {
  controller?: CallControllerApi;
}

/** The message thrown (and rendered by elements that need a controller) when none can be found. */
export function missingControllerMessage(tagName: string): string {
  const tag = tagName.toLowerCase();
  const inside = tag === 'matrix-call' ? '' : ' Or place it inside a <matrix-call>, which shares its controller.';
  return (
    `For the page author: <${tag}> needs a call controller and has none. ` +
    `Create one with CallController.create({ transport }) and set it as the element's .controller property.` +
    inside
  );
}

export class ControllerSubscription implements ReactiveController {
  private readonly consumer: ContextConsumer<typeof callControllerContext, ControllerHost>;
  private subscribed: CallControllerApi | undefined;

  constructor(private readonly host: ControllerHost) {
    // The consumer is added first so its context request runs before hostConnected below.
    this.consumer = new ContextConsumer(host, {
      context: callControllerContext,
      subscribe: true,
      callback: () => {
        this.follow();
        host.requestUpdate();
      },
    });
    host.addController(this);
  }

  /** The controller in use: explicit property, then context. */
  get controller(): CallControllerApi | undefined {
    return this.host.controller ?? this.consumer.value;
  }

  get snapshot(): CallControllerView | undefined {
    return this.controller?.snapshot;
  }

  /** The controller, or a clear error naming the element and how to give it one. */
  require(): CallControllerApi {
    const controller = this.controller;
    if (!controller) throw new Error(missingControllerMessage(this.host.tagName));
    return controller;
  }

  hostConnected(): void {
    this.follow();
    // The snapshot may have moved on while the element was out of the document.
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.subscribed?.removeEventListener('change', this.onChange);
    this.subscribed = undefined;
  }

  /** The `.controller` property may be set or replaced at any time; follow it on the next update. */
  hostUpdate(): void {
    if (this.host.isConnected && this.controller !== this.subscribed) this.follow();
  }

  private follow(): void {
    const next = this.controller;
    if (next === this.subscribed) return;
    this.subscribed?.removeEventListener('change', this.onChange);
    this.subscribed = next;
    next?.addEventListener('change', this.onChange);
  }

  private readonly onChange = (): void => {
    this.host.requestUpdate();
  };
}
