/**
 * The elements: importing this module registers every tag (the drop-in bundle is built from it) and
 * exports the classes, the tag list, the context key, the events and the message table.
 *
 * Never: builds a controller (the widget entry installs MatrixCall.controllerFactory for that).
 */
import { MatrixCall } from './matrix-call/matrix-call.js';
import { CallTile } from './call-tile/call-tile.js';
import { CallControls } from './call-controls/call-controls.js';
import { IncomingCall } from './incoming-call/incoming-call.js';
import { DeviceSelect } from './device-select/device-select.js';
import { DtmfKeypad } from './dtmf-keypad/dtmf-keypad.js';
import { PttButton } from './ptt-button/ptt-button.js';
import { PttMessages } from './ptt-messages/ptt-messages.js';

export { MatrixCall, CallTile, CallControls, IncomingCall, DeviceSelect, DtmfKeypad, PttButton, PttMessages };
export type { ControllerFactory, MatrixCallView } from './matrix-call/matrix-call.js';
export type { TileQuality } from './call-tile/call-tile.js';
export type { PttMode } from './ptt-button/ptt-button.js';

/** Every tag the kit registers, with its class. */
export const ELEMENTS = {
  'matrix-call': MatrixCall,
  'call-tile': CallTile,
  'call-controls': CallControls,
  'incoming-call': IncomingCall,
  'device-select': DeviceSelect,
  'dtmf-keypad': DtmfKeypad,
  'ptt-button': PttButton,
  'ptt-messages': PttMessages,
} as const;

export const ELEMENT_TAGS = Object.keys(ELEMENTS) as readonly (keyof typeof ELEMENTS)[];

export { KitElement } from './internal/base-element.js';
export { callControllerContext } from './internal/context.js';
export { ControllerSubscription, missingControllerMessage } from './internal/controller-subscription.js';
export * from './internal/events.js';
export {
  msg,
  setLocale,
  getLocale,
  registerMessages,
  type MessageKey,
  type MessageTable,
} from './internal/messages.js';
export { GROUP_CALL_ID } from '../src/snapshot.js';
