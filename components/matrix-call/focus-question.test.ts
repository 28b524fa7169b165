import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../index.js';
import type { MatrixCall } from './matrix-call.js';
import { MAX_WAITING_QUESTIONS } from '../../src/group/focus-approvals.js';
import { loadFocusAsking } from './internal/focus-asking-loader.js';
import { controllerFactoryOf, type WidgetConnection, type WidgetUi } from '../../demo/widget-controller.js';
import type { WidgetTransport } from '../../src/transport/widget-transport.js';
import {
  TestCallController,
  alice,
  bob,
  participantOf,
  snapshotOf,
} from '../../test/support/test-call-controller.js';
import { describeFocus, settle } from '../../test/support/element-helpers.js';

const UNTRUSTED = { serviceUrl: 'https://sfu.bob-hosting.example/livekit/jwt' };
const BY_BOB = { userId: bob.userId, deviceId: 'BOBDEVICE' };

async function mount() {
  const el = await fixture<MatrixCall>(html`<matrix-call style="height:480px;width:720px"></matrix-call>`);
  el.controller = new TestCallController();
  await settle(el);
  return el;
}

const dialog = (el: MatrixCall) => el.shadowRoot!.querySelector<HTMLElement>('[part~="focus-question"]');
const button = (el: MatrixCall, part: string) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${part}"]`);

/** Puts keyboard focus inside the element, as the person's click on "Join" does. */
async function focusInside(el: MatrixCall) {
  const target =
    button(el, 'join-group-button') ?? el.shadowRoot!.querySelector<HTMLElement>('button, [tabindex]')!;
  target.focus();
  expect(document.activeElement === el, 'focus inside the element').to.equal(true);
}

describe('<matrix-call>: the question about a media server the person’s side does not trust', () => {
  // The question's code loads when the first question in a page is asked; loaded here once, so each
  // test sees the question as soon as it is asked.
  before(() => loadFocusAsking());

  it('shows an alert dialog naming the server’s host and the member who chose it, with focus on “Don’t join”', async () => {
    const el = await mount();
    await focusInside(el);
    expect(dialog(el)).to.equal(null);

    const answer = el.approveFocus(UNTRUSTED, BY_BOB);
    await settle(el);
    const question = dialog(el)!;
    expect(question, 'the question is shown').to.not.equal(null);
    expect(question.getAttribute('role')).to.equal('alertdialog');
    const label = el.shadowRoot!.getElementById(question.getAttribute('aria-labelledby')!)!;
    const description = el.shadowRoot!.getElementById(question.getAttribute('aria-describedby')!)!;
    expect(label.textContent).to.contain('media server');
    // The member by display name (from the room), and the host a person can judge.
    expect(description.textContent).to.contain('Bob Builder');
    expect(description.textContent).to.contain('sfu.bob-hosting.example');
    expect(button(el, 'focus-agree-button')!.textContent!.trim()).to.equal('Join through this server');
    expect(button(el, 'focus-decline-button')!.textContent!.trim()).to.equal('Don’t join');
    expect(describeFocus()).to.equal('focus-decline-button');

    button(el, 'focus-agree-button')!.click();
    expect(await answer).to.equal(true);
    await settle(el);
    expect(dialog(el), 'answered: gone').to.equal(null);
    // Focus went back to the screen's heading, not lost.
    expect(document.activeElement === el, 'focus still inside the element').to.equal(true);
    expect(el.shadowRoot!.activeElement?.hasAttribute('data-view-heading'), 'on the heading').to.equal(true);
  });

  it('is keyboard-operable: Shift+Tab and Enter agree; Escape declines', async () => {
    const el = await mount();
    await focusInside(el);

    const first = el.approveFocus(UNTRUSTED, BY_BOB);
    await settle(el);
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(describeFocus()).to.equal('focus-agree-button');
    await sendKeys({ press: 'Enter' });
    expect(await first).to.equal(true);

    await settle(el);
    await focusInside(el);
    const other = el.approveFocus({ serviceUrl: 'https://elsewhere.example/livekit/jwt' }, BY_BOB);
    await settle(el);
    expect(describeFocus()).to.equal('focus-decline-button');
    await sendKeys({ press: 'Escape' });
    expect(await other).to.equal(false);
    await settle(el);
    expect(dialog(el)).to.equal(null);
  });

  it('an agreement holds for that server for the session; a refusal is asked again', async () => {
    const el = await mount();
    const agreed = el.approveFocus(UNTRUSTED, BY_BOB);
    await settle(el);
    button(el, 'focus-agree-button')!.click();
    expect(await agreed).to.equal(true);
    await settle(el);
    // Asked again (a remote focus of the same server, a later join): yes without a question.
    expect(await el.approveFocus(UNTRUSTED, BY_BOB)).to.equal(true);
    await settle(el);
    expect(dialog(el)).to.equal(null);

    const elsewhere = { serviceUrl: 'https://elsewhere.example/livekit/jwt' };
    const declined = el.approveFocus(elsewhere, BY_BOB);
    await settle(el);
    button(el, 'focus-decline-button')!.click();
    expect(await declined).to.equal(false);
    const again = el.approveFocus(elsewhere, BY_BOB);
    await settle(el);
    expect(dialog(el), 'asked again').to.not.equal(null);
    button(el, 'focus-decline-button')!.click();
    expect(await again).to.equal(false);
  });

  it('the widget page builds its controller with the approveFocus of the element that asks for it', async () => {
    const el = await mount();
    const lent: WidgetUi[] = [];
    const built = new TestCallController();
    const connection = {
      ok: true,
      params: {
        widgetId: 'w',
        parentOrigin: location.origin,
        userId: bob.userId,
        deviceId: 'B',
        roomId: '!r',
      },
      transport: {} as WidgetTransport,
      controller: (ui: WidgetUi = {}) => {
        lent.push(ui);
        return built as never;
      },
    } as unknown as WidgetConnection;
    expect(controllerFactoryOf(connection)(el)).to.equal(built);
    expect(lent[0]!.approveFocus).to.equal(el.approveFocus);
  });

  it('one question at a time, at most a few waiting (more are refused at once), none when the element is gone', async () => {
    const el = await mount();
    const answers = Array.from({ length: MAX_WAITING_QUESTIONS + 2 }, (_, i) =>
      el.approveFocus({ serviceUrl: `https://sfu${i}.example/livekit/jwt` }, BY_BOB),
    );
    // The ones past the bound are refused without asking.
    expect(await answers[MAX_WAITING_QUESTIONS]).to.equal(false);
    expect(await answers[MAX_WAITING_QUESTIONS + 1]).to.equal(false);
    await settle(el);
    expect(el.shadowRoot!.querySelectorAll('[part~="focus-question"]')).to.have.length(1);
    expect(dialog(el)!.dataset.service).to.equal('https://sfu0.example/livekit/jwt');
    button(el, 'focus-decline-button')!.click();
    await settle(el);
    expect(dialog(el)!.dataset.service).to.equal('https://sfu1.example/livekit/jwt');

    // The element leaves the page: nobody can answer, so the waiting questions are answered no.
    el.remove();
    expect(await Promise.all(answers.slice(1, MAX_WAITING_QUESTIONS))).to.deep.equal([false, false, false]);
    expect(await el.approveFocus({ serviceUrl: 'https://later.example/livekit/jwt' }, BY_BOB)).to.equal(
      false,
    );
  });
});

describe('<matrix-call>: members on a media server this device does not receive', () => {
  it('the group call header says who cannot be heard or seen, which server, and why', async () => {
    const carol = { userId: '@carol:example.org', displayName: 'Carol' };
    const controller = new TestCallController(
      snapshotOf({
        group: {
          state: 'joined',
          backend: 'livekit',
          ongoing: true,
          participants: [participantOf(alice, { local: true }), participantOf(bob), participantOf(carol)],
          unreceived: [
            { person: carol, deviceId: 'CAROLDEVICE', host: 'sfu.carol.example', reason: 'untrusted' },
            { person: bob, deviceId: 'BOBDEVICE', host: 'sfu.down.example', reason: 'unreachable' },
          ],
        },
      }),
    );
    const el = await fixture<MatrixCall>(html`<matrix-call style="height:480px;width:720px"></matrix-call>`);
    el.controller = controller;
    await settle(el);
    expect(el.view).to.equal('group-call');
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part~="header"] [part~="unreceived"]')!;
    expect(list, 'in the group call header').to.not.equal(null);
    expect(list.getAttribute('role')).to.equal('status');
    const lines = [...list.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(lines).to.deep.equal([
      'Carol is on a media server your side does not trust (sfu.carol.example): you cannot hear or see them.',
      'Bob Builder is on a media server that could not be reached (sfu.down.example): you cannot hear or see them.',
    ]);

    // Everyone received: the line goes.
    controller.set(snapshotOf({ group: { ...controller.snapshot.group!, unreceived: undefined } }));
    await settle(el);
    expect(el.shadowRoot!.querySelector('[part~="unreceived"]')).to.equal(null);
  });
});
