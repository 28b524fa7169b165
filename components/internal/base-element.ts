/**
 * The kit's base element: a typed `emit()` for the kit's events, a `define()` that tolerates a second
 * registration (a widget page may load the bundle twice), custom states mirrored from reflected
 * attributes, and a re-render when the message table's locale changes.
 *
 * Never: knows about calls or controllers (that is ControllerSubscription's job).
 */
import { LitElement } from 'lit';
import { localeChanges } from './messages.js';
import type { KitEvent } from './events.js';

export abstract class KitElement extends LitElement {
  /**
   * Registers the element under `tag` unless that name is taken already, which happens when a page
   * loads the kit twice. Returns the constructor registered under `tag`.
   */
  static define(this: CustomElementConstructor, tag: string, registry: CustomElementRegistry = customElements) {
    const existing = registry.get(tag);
    if (existing) return existing;
    registry.define(tag, this);
    return this;
  }

  private kitInternals?: ElementInternals;

  /** Dispatches one of the kit's typed events (they bubble and are composed). False when vetoed. */
  emit(event: KitEvent): boolean {
    return this.dispatchEvent(event);
  }

  /** Mirrors states as CSS custom states (`:state(talking)`) where the browser supports them. */
  protected setCustomStates(states: Record<string, boolean>): void {
    try {
      this.kitInternals ??= this.attachInternals();
      const set = this.kitInternals.states;
      for (const [name, on] of Object.entries(states)) {
        if (on) set.add(name);
        else set.delete(name);
      }
    } catch {
      // No CustomStateSet here: the reflected attributes carry the same states.
    }
  }

  private readonly onLocaleChange = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    localeChanges.addEventListener('change', this.onLocaleChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    localeChanges.removeEventListener('change', this.onLocaleChange);
  }
}
