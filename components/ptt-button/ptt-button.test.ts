import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './ptt-button.js';
import type { PttButton } from './ptt-button.js';
import { TestCallController, bob, snapshotOf } from '../../test/support/test-call-controller.js';
import { settle, transitionsDone } from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';
import type { PttView } from '../../src/snapshot.js';
import {
  cueForFloorChange,
  cueNotes,
  scheduleCue,
  WebAudioPttSounds,
  type PttCue,
  type PttSoundPlayer,
} from '../internal/ptt-sounds.js';
import { waitFor } from '../../test/support/webrtc.js';

const button = (el: PttButton) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="button"]')!;
const status = (el: PttButton) =>
  el.shadowRoot!.querySelector('[part~="status"]')!.textContent!.replace(/\s+/g, ' ').trim();

/** A sound player that only writes down what it was asked to play. */
class CueLog implements PttSoundPlayer {
  readonly cues: PttCue[] = [];
  prepared = 0;
  play(cue: PttCue): void {
    this.cues.push(cue);
  }
  prepare(): void {
    this.prepared++;
  }
}

/** Zero crossings per second of a rendered stretch: a rough frequency, enough to tell a rise from a fall. */
function crossingsPerSecond(samples: Float32Array, from: number, to: number, rate: number): number {
  let crossings = 0;
  for (let i = from + 1; i < to; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  return crossings / 2 / ((to - from) / rate);
}

async function renderCue(cue: PttCue): Promise<Float32Array> {
  const rate = 48_000;
  const ctx = new OfflineAudioContext(1, rate / 2, rate);
  scheduleCue(ctx, cue, 0.5, 0);
  return (await ctx.startRendering()).getChannelData(0);
}

function ptt(patch: Partial<PttView> = {}): PttView {
  return { optedIn: true, floor: 'idle', maxTransmitMs: 30_000, queuedRecordings: 0, ...patch };
}

describe('<ptt-button>', () => {
  it('Space held down presses, Space released releases; aria-pressed follows', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    const events: string[] = [];
    el.addEventListener('ptt-press', () => events.push('press'));
    el.addEventListener('ptt-release', () => events.push('release'));
    button(el).focus();
    await sendKeys({ down: ' ' });
    await settle(el);
    expect(events).to.deep.equal(['press']);
    expect(el.pressed).to.equal(true);
    expect(el.hasAttribute('pressed')).to.equal(true);
    expect(el.matches(':state(pressed)')).to.equal(true);
    expect(button(el).getAttribute('aria-pressed')).to.equal('true');
    await sendKeys({ up: ' ' });
    await settle(el);
    expect(events).to.deep.equal(['press', 'release']);
    expect(button(el).getAttribute('aria-pressed')).to.equal('false');
  });

  it('Enter held works the same, and repeats while held do not press twice', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    let presses = 0;
    el.addEventListener('ptt-press', () => presses++);
    button(el).focus();
    button(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    button(el).dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', repeat: true, bubbles: true, composed: true }),
    );
    expect(presses).to.equal(1);
    expect(el.pressed).to.equal(true);
    button(el).dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true, composed: true }));
    expect(el.pressed).to.equal(false);
  });

  it('pointer down and up press and release; losing focus while held releases', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    const b = button(el);
    b.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
    expect(el.pressed).to.equal(true);
    b.dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 1, bubbles: true }));
    expect(el.pressed).to.equal(false);
    b.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
    b.blur();
    expect(el.pressed).to.equal(false);
  });

  it('toggle mode: a click talks, the next click stops', async () => {
    const el = await fixture<PttButton>(html`<ptt-button mode="toggle"></ptt-button>`);
    expect(button(el).textContent).to.contain('Tap to talk');
    button(el).click();
    expect(el.pressed).to.equal(true);
    button(el).click();
    expect(el.pressed).to.equal(false);
  });

  it('a page can veto a press', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    el.addEventListener('ptt-press', (e) => e.preventDefault());
    expect(el.press()).to.equal(false);
    expect(el.pressed).to.equal(false);
  });

  it('shows each floor state from attributes without a controller', async () => {
    const el = await fixture<PttButton>(html`<ptt-button floor="requesting"></ptt-button>`);
    expect(status(el)).to.equal('Waiting for the channel…');
    el.floor = 'listening';
    el.talker = 'Bob Builder';
    await settle(el);
    expect(status(el)).to.equal('Bob Builder is talking');
    el.floor = 'talking';
    el.endsAt = Date.now() + 12_400;
    await settle(el);
    expect(status(el)).to.contain('13 s left');
    el.floor = 'denied';
    await settle(el);
    expect(status(el)).to.equal('You may not talk in this room');
    expect(button(el).getAttribute('aria-disabled')).to.equal('true');
    expect(el.press()).to.equal(false);
    el.floor = 'off';
    await settle(el);
    expect(status(el)).to.equal('Walkie-talkie is off');
  });

  it('reads snapshot.ptt from a controller and calls its optional pttPress / pttRelease', async () => {
    const controller = new TestCallController(snapshotOf({ ptt: ptt() }));
    const el = await fixture<PttButton>(html`<ptt-button .controller=${controller}></ptt-button>`);
    button(el).focus();
    await sendKeys({ down: ' ' });
    controller.update({ ptt: ptt({ floor: 'talking', floorEndsAt: Date.now() + 20_000 }) });
    await settle(el);
    expect(el.floor).to.equal('talking');
    expect(status(el)).to.contain('Talking');
    expect(el.shadowRoot!.querySelector('[part~="progress"]')).to.not.equal(null);
    await transitionsDone();
    await expect(el).to.be.accessible();
    await saveScreenshot('ptt-button-talking', 'ptt-button');
    await sendKeys({ up: ' ' });
    expect(controller.actionNames()).to.deep.equal(['pttPress', 'pttRelease']);

    controller.update({ ptt: ptt({ floor: 'listening', talker: bob, queuedRecordings: 2 }) });
    await settle(el);
    expect(status(el)).to.equal('Bob Builder is talking');
    expect(el.shadowRoot!.textContent).to.contain('2 messages waiting');
    controller.update({ ptt: ptt({ floor: 'listening', talker: bob, queuedRecordings: 1 }) });
    await settle(el);
    expect(el.shadowRoot!.textContent, 'one message, in the singular').to.contain('One message waiting');
    controller.update({ ptt: ptt({ floor: 'listening', talker: bob, queuedRecordings: 2 }) });
    await settle(el);
    expect(el.matches(':state(listening)')).to.equal(true);
    await transitionsDone();
    await expect(el).to.be.accessible();
    await saveScreenshot('ptt-button-listening', 'ptt-button');
  });

  it('before the room shows a walkie-talkie, a press and release still go to the controller (which ignores them)', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<PttButton>(html`<ptt-button .controller=${controller}></ptt-button>`);
    expect(el.press()).to.equal(true);
    el.release();
    expect(controller.actionNames()).to.deep.equal(['pttPress', 'pttRelease']);
    await expect(el).to.be.accessible();
  });

  describe('sounds', () => {
    it('each floor change plays its cue: start on talking, end on leaving it, blocked on denied', async () => {
      const log = new CueLog();
      const el = await fixture<PttButton>(html`<ptt-button floor="talking" .sounds=${log}></ptt-button>`);
      expect(log.cues, 'no cue for the first state seen').to.deep.equal([]);
      const steps: [PttView['floor'], PttCue[]][] = [
        ['idle', ['end']],
        ['requesting', []],
        ['talking', ['start']],
        ['talking', []],
        ['listening', ['end']],
        ['denied', ['blocked']],
        ['listening', []],
        ['off', []],
        ['talking', ['start']],
        ['off', ['end']],
      ];
      const expected: PttCue[] = [];
      for (const [floor, cues] of steps) {
        el.floor = floor;
        await settle(el);
        expected.push(...cues);
        expect(log.cues, `after ${floor}`).to.deep.equal(expected);
      }
    });

    it('with a controller: talking after a press starts, the release ends, a press while someone talks is blocked', async () => {
      const controller = new TestCallController(snapshotOf({ ptt: ptt() }));
      const log = new CueLog();
      const el = await fixture<PttButton>(
        html`<ptt-button .controller=${controller} .sounds=${log}></ptt-button>`,
      );
      const b = button(el);
      b.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
      expect(log.prepared, 'the press readies audio while it is a user gesture').to.equal(1);
      controller.update({ ptt: ptt({ floor: 'requesting' }) });
      await settle(el);
      expect(log.cues).to.deep.equal([]);
      controller.update({ ptt: ptt({ floor: 'talking', floorEndsAt: Date.now() + 20_000 }) });
      await settle(el);
      expect(log.cues).to.deep.equal(['start']);
      b.dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 1, bubbles: true }));
      controller.update({ ptt: ptt() });
      await settle(el);
      expect(log.cues).to.deep.equal(['start', 'end']);

      // While Bob talks the button reads "Bob Builder is talking", is marked disabled, and a press is
      // refused here with the blocked cue: the controller is not asked.
      controller.update({ ptt: ptt({ floor: 'listening', talker: bob }) });
      await settle(el);
      expect(b.getAttribute('aria-disabled')).to.equal('true');
      expect(el.shadowRoot!.querySelector('[part="label"]')!.textContent).to.equal('Bob Builder is talking');
      expect(el.shadowRoot!.textContent).to.not.contain('Hold to talk');
      b.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
      await settle(el);
      expect(log.cues).to.deep.equal(['start', 'end', 'blocked']);
      expect(el.pressed, 'a refused press lets go').to.equal(false);
      expect(controller.actionNames()).to.deep.equal(['pttPress', 'pttRelease']);
    });

    it('a press on a button that shows denied is refused with the blocked cue', async () => {
      const log = new CueLog();
      const el = await fixture<PttButton>(html`<ptt-button floor="denied" .sounds=${log}></ptt-button>`);
      expect(el.press()).to.equal(false);
      expect(log.cues).to.deep.equal(['blocked']);
      el.floor = 'off';
      await settle(el);
      expect(el.press(), 'refused while off').to.equal(false);
      expect(log.cues, 'off is not a refusal to sound').to.deep.equal(['blocked']);
    });

    it('silent plays nothing and readies no audio, and can be turned back on', async () => {
      const log = new CueLog();
      const el = await fixture<PttButton>(html`<ptt-button silent .sounds=${log}></ptt-button>`);
      expect(el.silent).to.equal(true);
      const b = button(el);
      b.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
      for (const floor of ['talking', 'idle', 'denied', 'listening', 'talking', 'listening'] as const) {
        el.floor = floor;
        await settle(el);
      }
      el.press();
      expect(log.cues).to.deep.equal([]);
      expect(log.prepared).to.equal(0);
      el.removeAttribute('silent');
      el.floor = 'talking';
      await settle(el);
      expect(log.cues).to.deep.equal(['start']);
    });

    it('the floor-change rule alone', () => {
      expect(cueForFloorChange(undefined, 'talking')).to.equal(undefined);
      expect(cueForFloorChange('requesting', 'talking')).to.equal('start');
      expect(cueForFloorChange('talking', 'talking')).to.equal(undefined);
      expect(cueForFloorChange('talking', 'idle')).to.equal('end');
      expect(cueForFloorChange('requesting', 'denied')).to.equal('blocked');
      expect(cueForFloorChange('requesting', 'idle')).to.equal(undefined);
      expect(cueForFloorChange('idle', 'listening')).to.equal(undefined);
    });

    it('the cues rendered with Web Audio: start rises, end falls, blocked is low', async () => {
      const rate = 48_000;
      const start = await renderCue('start');
      const end = await renderCue('end');
      const blocked = await renderCue('blocked');
      for (const [name, samples] of [
        ['start', start],
        ['end', end],
        ['blocked', blocked],
      ] as const) {
        expect(Math.max(...samples.map(Math.abs)), `${name} is audible`).to.be.greaterThan(0.1);
      }
      const pitch = (samples: Float32Array, cue: PttCue, index: number) => {
        const note = cueNotes(cue)[index]!;
        const from = Math.round((note.at + 0.015) * rate);
        const to = Math.round((note.at + note.seconds - 0.025) * rate);
        return crossingsPerSecond(samples, from, to, rate);
      };
      expect(pitch(start, 'start', 1)).to.be.greaterThan(pitch(start, 'start', 0) * 1.3);
      expect(pitch(end, 'end', 1)).to.be.lessThan(pitch(end, 'end', 0) / 1.3);
      expect(pitch(blocked, 'blocked', 0)).to.be.lessThan(pitch(start, 'start', 0) / 2);
      const afterLast = Math.round(0.4 * rate);
      expect(Math.max(...start.slice(afterLast).map(Math.abs)), 'silent after the cue').to.be.lessThan(0.001);
    });

    it('the Web Audio player schedules a cue on the context it is given', async () => {
      const ctx = new AudioContext();
      try {
        let oscillators = 0;
        const create = ctx.createOscillator.bind(ctx);
        ctx.createOscillator = () => {
          oscillators++;
          return create();
        };
        const player = new WebAudioPttSounds(() => ctx, 0.01);
        player.prepare();
        await waitFor(() => ctx.state === 'running', 'the context running (autoplay allowed in tests)');
        player.play('blocked');
        expect(oscillators).to.equal(cueNotes('blocked').length);
      } finally {
        await ctx.close();
      }
    });
  });
});
