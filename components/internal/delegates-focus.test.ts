/**
 * Every element with an interactive control in its shadow root delegates focus: `host.focus()` (and a
 * click on a non-focusable part of it) lands on its first control, as on <ptt-button>.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { LitElement, TemplateResult } from 'lit';
import '../index.js';
import {
  TestCallController,
  bob,
  callOf,
  snapshotOf,
} from '../../test/support/test-call-controller.js';
import { settle } from '../../test/support/element-helpers.js';
import type { PttView } from '../../src/snapshot.js';
import type { DeviceSelect } from '../device-select/device-select.js';

interface Case {
  readonly tag: string;
  /** The element, given a controller. */
  readonly template: (controller: TestCallController) => TemplateResult;
  /** The control that should get focus, in the element's shadow root. */
  readonly first: string;
  readonly snapshot?: Parameters<typeof snapshotOf>[0];
  /** Waits for what the element shows once loaded (device lists). */
  readonly ready?: (el: LitElement) => Promise<void>;
}

const ptt: PttView = { optedIn: true, floor: 'idle', maxTransmitMs: 30_000, queuedRecordings: 0 };
const cases: Case[] = [
  {
    tag: 'call-controls',
    template: (c) => html`<call-controls .controller=${c}></call-controls>`,
    first: '[part~="mic-button"]',
    snapshot: { calls: [callOf()] },
  },
  {
    tag: 'device-select',
    template: (c) => html`<device-select kinds="audioinput" .controller=${c}></device-select>`,
    first: 'select',
    ready: async (el) => {
      const s = await navigator.mediaDevices.getUserMedia({ audio: true });
      s.getTracks().forEach((t) => t.stop());
      await (el as DeviceSelect).deviceList.refresh();
    },
  },
  {
    tag: 'dtmf-keypad',
    template: (c) => html`<dtmf-keypad call-id="call-1" .controller=${c}></dtmf-keypad>`,
    first: 'button',
  },
  {
    tag: 'incoming-call',
    template: () => html`<incoming-call silent call-id="c1" kind="video" .caller=${bob}></incoming-call>`,
    first: '[part~="answer-voice-button"]',
  },
  {
    tag: 'ptt-button',
    template: (c) => html`<ptt-button silent .controller=${c}></ptt-button>`,
    first: '[part~="button"]',
    snapshot: { ptt },
  },
  {
    tag: 'ptt-messages',
    template: (c) => html`<ptt-messages .controller=${c}></ptt-messages>`,
    first: '[part~="play-button"]',
    snapshot: {
      ptt: {
        ...ptt,
        transmissions: [
          { id: '$m1', sender: bob, own: false, sentAt: 0, durationMs: 4_000, state: 'unplayed' },
        ],
      },
    },
  },
  {
    tag: 'matrix-call',
    template: (c) => html`<matrix-call silent .controller=${c}></matrix-call>`,
    first: 'button',
  },
];

const describe_ = (node: Element | null) =>
  node
    ? `${node.tagName.toLowerCase()} ${node.getAttribute('part') ?? ''} ${node.textContent?.trim() ?? ''}`
    : 'nothing';

describe('focus delegation', () => {
  for (const { tag, template, first, snapshot, ready } of cases) {
    it(`<${tag}>: focusing the host focuses its first control`, async () => {
      const controller = new TestCallController(snapshotOf(snapshot));
      const el = (await fixture(template(controller))) as LitElement;
      await ready?.(el);
      await settle(el);
      const control = el.shadowRoot!.querySelector<HTMLElement>(first);
      expect(control, `${first} is rendered`).to.not.equal(null);
      // Compared by identity and named in words: a failing deep comparison of elements is costly to print.
      expect(el.shadowRoot!.activeElement === null, 'nothing inside is focused at first').to.equal(true);
      expect(el.shadowRoot!.delegatesFocus, 'the shadow root delegates focus').to.equal(true);
      el.focus();
      expect(document.activeElement === el, 'the host holds focus').to.equal(true);
      expect(describe_(el.shadowRoot!.activeElement)).to.equal(describe_(control));
    });
  }
});
