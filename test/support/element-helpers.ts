/**
 * Helpers for element tests: wait until an element and every kit element in its shadow tree have
 * rendered, find nodes through shadow roots, and read the focused element through shadow roots.
 */
import type { LitElement } from 'lit';

function kitChildren(root: ParentNode): LitElement[] {
  return [...root.querySelectorAll('*')].filter((n): n is LitElement => 'updateComplete' in n);
}

/** Awaits updateComplete on `el` and, repeatedly, on every Lit element inside its shadow tree. */
export async function settle(el: LitElement): Promise<void> {
  for (let round = 0; round < 5; round++) {
    await el.updateComplete;
    const pending: Promise<unknown>[] = [];
    const visit = (root: ParentNode) => {
      for (const child of kitChildren(root)) {
        pending.push(child.updateComplete);
        if (child.shadowRoot) visit(child.shadowRoot);
      }
    };
    if (el.shadowRoot) visit(el.shadowRoot);
    const results = await Promise.all(pending);
    if (results.every((r) => r === true)) return;
  }
}

/** querySelector that looks into shadow roots, depth first. */
export function deepQuery<T extends Element = HTMLElement>(root: ParentNode, selector: string): T | null {
  if (root instanceof Element && root.shadowRoot) {
    const inside = deepQuery<T>(root.shadowRoot, selector);
    if (inside) return inside;
  }
  const direct = root.querySelector<T>(selector);
  if (direct) return direct;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const found = deepQuery<T>(el.shadowRoot, selector);
      if (found) return found;
    }
  }
  return null;
}

export function deepQueryAll<T extends Element = HTMLElement>(root: ParentNode, selector: string): T[] {
  const found: T[] = [...root.querySelectorAll<T>(selector)];
  if (root instanceof Element && root.shadowRoot) found.push(...deepQueryAll<T>(root.shadowRoot, selector));
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepQueryAll<T>(el.shadowRoot, selector));
  return found;
}

/** The focused element, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** A label for the focused element: its part attribute, else aria-label, else its text. */
export function describeFocus(): string {
  const el = deepActiveElement();
  if (!el) return '';
  return el.getAttribute('part') ?? el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
}

/** Waits out the kit's colour transitions (160 ms by default). */
export function transitionsDone(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 250));
}

export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
