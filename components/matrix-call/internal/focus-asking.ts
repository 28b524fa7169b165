/**
 * What <matrix-call> needs only once a call runs on a media server the person's side does not trust:
 * the answers (FocusApprovals) and the question's markup. Loaded by focus-asking-loader.ts through
 * import() the first time approveFocus is called, so a 1:1 call's first load carries neither.
 *
 * Never: imported statically by <matrix-call>.
 */
export { FocusApprovals } from '../../../src/group/focus-approvals.js';
export { chooserName, renderFocusQuestion } from './focus-question-markup.js';
