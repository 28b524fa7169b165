/**
 * The kit's events: one class per event, each bubbling and composed so a page can listen on
 * <matrix-call> or on document. `request-*` events are cancelable: calling `preventDefault()` vetoes
 * the action before the element asks the controller to take it.
 *
 * Never: carries raw Matrix data or MediaStreams; only the ids and choices a page needs to decide.
 */
import type { CallKind } from '../../src/snapshot.js';

export abstract class KitEvent extends Event {
  constructor(type: string, cancelable: boolean) {
    super(type, { bubbles: true, composed: true, cancelable });
  }
}

/** Before placing a 1:1 call. Cancel to veto. */
export class PlaceCallRequestEvent extends KitEvent {
  static readonly type = 'request-place-call';
  constructor(readonly kind: CallKind) {
    super(PlaceCallRequestEvent.type, true);
  }
}

/** Before joining the room's group call. Cancel to veto. */
export class JoinGroupRequestEvent extends KitEvent {
  static readonly type = 'request-join-group';
  constructor(readonly kind: CallKind) {
    super(JoinGroupRequestEvent.type, true);
  }
}

/** Before turning on walkie-talkie mode. Cancel to veto. */
export class WalkieTalkieRequestEvent extends KitEvent {
  static readonly type = 'request-walkie-talkie';
  constructor(readonly on: boolean) {
    super(WalkieTalkieRequestEvent.type, true);
  }
}

/** Before answering an incoming call. Cancel to veto. `callId` is empty for a group call's ring. */
export class AnswerRequestEvent extends KitEvent {
  static readonly type = 'request-answer';
  constructor(
    readonly callId: string,
    readonly kind: CallKind,
  ) {
    super(AnswerRequestEvent.type, true);
  }
}

/** Before rejecting (declining) an incoming call. Cancel to veto. */
export class RejectRequestEvent extends KitEvent {
  static readonly type = 'request-reject';
  constructor(readonly callId: string) {
    super(RejectRequestEvent.type, true);
  }
}

/** Before hanging up (or leaving a group call). Cancel to veto. */
export class HangupRequestEvent extends KitEvent {
  static readonly type = 'request-hangup';
  constructor(readonly callId: string) {
    super(HangupRequestEvent.type, true);
  }
}

export type MediaToggle = 'microphone' | 'camera' | 'screen-share' | 'hold';

/** Before muting, unmuting, sharing the screen or holding. `on` is the state asked for. Cancel to veto. */
export class MediaToggleRequestEvent extends KitEvent {
  static readonly type = 'request-media-toggle';
  constructor(
    readonly callId: string,
    readonly toggle: MediaToggle,
    readonly on: boolean,
  ) {
    super(MediaToggleRequestEvent.type, true);
  }
}

/** A DTMF key was pressed on the keypad. */
export class DtmfToneEvent extends KitEvent {
  static readonly type = 'dtmf-tone';
  constructor(readonly tone: string) {
    super(DtmfToneEvent.type, false);
  }
}

/** The user chose a microphone, camera or speaker. Cancel to veto. */
export class DeviceSelectRequestEvent extends KitEvent {
  static readonly type = 'request-device-select';
  constructor(
    readonly kind: MediaDeviceKind,
    readonly deviceId: string,
  ) {
    super(DeviceSelectRequestEvent.type, true);
  }
}

/** The push-to-talk button went down (pointer, Space or Enter, or toggled on). Cancel to veto. */
export class PttPressEvent extends KitEvent {
  static readonly type = 'ptt-press';
  constructor() {
    super(PttPressEvent.type, true);
  }
}

/** The push-to-talk button came up (or toggled off, or lost focus while held). */
export class PttReleaseEvent extends KitEvent {
  static readonly type = 'ptt-release';
  constructor() {
    super(PttReleaseEvent.type, false);
  }
}

/** A tile's video changed shape (width / height); <matrix-call> sizes the tile's box to it. */
export class TileAspectEvent extends KitEvent {
  static readonly type = 'tile-aspect';
  constructor(readonly aspect: number) {
    super(TileAspectEvent.type, false);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'tile-aspect': TileAspectEvent;
    'request-place-call': PlaceCallRequestEvent;
    'request-join-group': JoinGroupRequestEvent;
    'request-walkie-talkie': WalkieTalkieRequestEvent;
    'request-answer': AnswerRequestEvent;
    'request-reject': RejectRequestEvent;
    'request-hangup': HangupRequestEvent;
    'request-media-toggle': MediaToggleRequestEvent;
    'request-device-select': DeviceSelectRequestEvent;
    'dtmf-tone': DtmfToneEvent;
    'ptt-press': PttPressEvent;
    'ptt-release': PttReleaseEvent;
  }
}
