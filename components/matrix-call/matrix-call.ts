/**
 * <matrix-call>: registers the tag. Behaviour lives in ./internal/matrix-call.ts.
 */
import { buttonStyles, kitStyles } from '../internal/tokens.js';
import { MatrixCallElement } from './internal/matrix-call.js';
import { focusQuestionStyles } from './internal/focus-question.js';
import { matrixCallStyles } from './matrix-call.styles.js';

export type { ControllerFactory } from './internal/matrix-call.js';
export type { MatrixCallView } from './internal/view-model.js';

/**
 * The whole call UI for one room: start a call, answer one, the call itself, and how it ended.
 *
 * Give it a controller with `.controller = controller`, or place it under a provider of
 * `callControllerContext`. Without either it asks `MatrixCall.controllerFactory` (the widget entry sets
 * it to build a controller from the widget URL parameters); without that it shows what is missing.
 *
 * **Media servers your side does not trust.** `el.approveFocus` asks the person, in the element, whether
 * a call may go through a media server that another member chose and that neither the homeserver nor
 * the configuration lists (docs/security.md). The widget entry hands it to the LiveKit backend; a page
 * with its own controller passes it as `liveKitBackend({ approveFocus: el.approveFocus })`. An agreement
 * holds for that server for the rest of the page's session.
 *
 * **Removing the element does not end a call whose controller the page passed in.** A controller given
 * with `.controller` or through context belongs to the page: its calls keep running (and sending the
 * microphone) after the element is gone, until the page hangs up, leaves the group call or calls the
 * CallController's `close()`. A controller the element built itself through `controllerFactory` (the
 * widget page, the drop-in bundle) is ended with the element: once the last element showing it leaves
 * the document and is not put back within a microtask and an animation frame (as moving it in the DOM
 * does), its calls are hung up, the group call is left, the walkie-talkie is turned off, and their
 * camera and microphone are released. A ringing incoming call is left ringing (it opened nothing).
 *
 * @tagname matrix-call
 * @summary A complete voice / video / walkie-talkie call UI for one Matrix room.
 *
 * @event request-place-call - Before placing a 1:1 call ({kind}); cancel to veto.
 * @event request-join-group - Before joining the group call ({kind}); cancel to veto.
 * @event request-walkie-talkie - Before turning walkie-talkie on or off ({on}); cancel to veto.
 * @event request-answer - From the incoming call; see <incoming-call>.
 * @event request-reject - From the incoming call; see <incoming-call>.
 * @event request-hangup - From the controls; see <call-controls>.
 * @event request-media-toggle - From the controls; see <call-controls>.
 * @event request-device-select - From the device panel; see <device-select>.
 * @event ptt-press - From the walkie-talkie button; see <ptt-button>.
 * @event ptt-release - From the walkie-talkie button; see <ptt-button>.
 *
 * @csspart base - Everything.
 * @csspart view - The current screen (also named: starting, error, idle, incoming, in-call, group-call, walkie-talkie, ended).
 * @csspart actions - A row of buttons on the idle and ended screens.
 * @csspart voice-call-button - Idle: place a voice call.
 * @csspart video-call-button - Idle: place a video call.
 * @csspart join-group-button - Idle: join or start the group call.
 * @csspart walkie-talkie-button - Idle: turn walkie-talkie mode on.
 * @csspart note - Idle: why no call can start here.
 * @csspart incoming-call - The <incoming-call> element.
 * @csspart header - In call: title, state, duration, connection.
 * @csspart status - In call: the status line.
 * @csspart declined - Group call started here: who declined its ring ("Bob declined"); also said in the live region.
 * @csspart call-state - In call: "Connecting…", "Connected"...
 * @csspart duration - In call: the running duration; ended: how long it lasted.
 * @csspart connection - In call: the connection's health.
 * @csspart stage - In call: the tiles (grid, or spotlight while someone shares a screen).
 * @csspart tile - Each <call-tile> (also main-tile, pip-tile, grid-tile or strip-tile by its place).
 * @csspart pip - 1:1 video: the self view's frame in a corner (drag to move).
 * @csspart swap-button - 1:1 video: swaps the large and the small view; arrow keys move the small one.
 * @csspart strip - The row of cameras under a screen share or spotlight.
 * @csspart voice-avatar - Voice call: the other person's avatar.
 * @csspart voice-name - Voice call: the other person's name.
 * @csspart overlay - Over the stage: hold-overlay or reconnecting-overlay.
 * @csspart action-error - An error from an action, or a call that ended by itself, with a Dismiss button (an alert).
 * @csspart action-error-detail - The kit's own sentence naming what exactly failed, when it says more than the headline.
 * @csspart layout-button - Group call: the active speaker large (spotlight) or the grid.
 * @csspart membership-notice - Group call: "Bob left", "Carol joined".
 * @csspart controls - The <call-controls> element.
 * @csspart audio-blocked - The "turn on sound" prompt when the browser blocks autoplay.
 * @csspart ptt-button - Walkie-talkie: the <ptt-button>.
 * @csspart leave-walkie-talkie-button - Walkie-talkie: turn it off.
 * @csspart reason - Ended: why.
 * @csspart call-again-button - Ended: call again.
 * @csspart close-button - Ended: back to idle.
 * @csspart error-message - Error: what happened.
 * @csspart error-fix - Error: what to do.
 * @csspart error-details - Error: technical details.
 * @csspart announcer - The live region (visually hidden).
 * @csspart focus-question - The question when a call runs on a media server your side does not trust (an alert dialog; see `approveFocus`).
 * @csspart focus-agree-button - That question: "Join through this server".
 * @csspart focus-decline-button - That question: "Don't join" (also Escape).
 * @csspart unreceived - Group call: members on a media server this device does not receive from, and why.
 *
 * @cssproperty [--mck-call-background=var(--mck-color-surface)] - Background.
 * @cssproperty [--mck-call-color=var(--mck-color-on-surface)] - Text.
 * @cssproperty [--mck-call-secondary-color=var(--mck-color-on-surface-variant)] - Secondary text.
 * @cssproperty [--mck-call-gap=var(--mck-space)] - Space between tiles and rows.
 * @cssproperty [--mck-call-padding=1rem] - Space around each screen.
 * @cssproperty [--mck-call-strip-tile-height=clamp(3.5rem, 18cqb, 7rem)] - Height of each camera in the strip under a screen share or spotlight.
 * @cssproperty [--mck-call-stage-min-height=8rem] - The smallest the stage (video area) gets.
 * @cssproperty [--mck-call-overlay-background=rgb(0 0 0 / 0.82)] - The hold and reconnecting overlays.
 *
 * @cssstate starting - Also: error, idle, incoming, in-call, group-call, walkie-talkie, ended, no-controller (the `view` attribute).
 */
export class MatrixCall extends MatrixCallElement {
  static override styles = [kitStyles, buttonStyles, matrixCallStyles, focusQuestionStyles];
}

MatrixCall.define('matrix-call');

declare global {
  interface HTMLElementTagNameMap {
    'matrix-call': MatrixCall;
  }
}
