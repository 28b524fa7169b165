/**
 * The walkie-talkie view's own elements, <ptt-button> and <ptt-messages>, in one module so that
 * walkie-elements.ts can load them together with one import().
 *
 * Never: imported statically by <matrix-call> (that would put them back in every page's first load).
 */
import '../../ptt-button/ptt-button.js';
import '../../ptt-messages/ptt-messages.js';
