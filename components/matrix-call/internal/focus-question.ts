/**
 * The question <matrix-call> puts when a call runs on (or a member publishes to) a media server that the
 * person's side does not trust: which server, who chose it, and "Join through this server" / "Don't
 * join" (docs/security.md). An alert dialog over whatever screen is shown: not modal (the call can still
 * be left), keyboard-operable (Tab between the two buttons, Escape is "Don't join"), announced through
 * its label and description when focus moves into it.
 *
 * Also the group call's line about members this device does not receive (their media server is not
 * trusted, or could not be reached): who, which server, and that they cannot be heard or seen.
 *
 * The question's markup is in focus-question-markup.ts, loaded only when a question is first asked.
 *
 * Owns: the markup and its styles. Never: decides trust or remembers answers (FocusApprovals does).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { GroupCallView } from '../../../src/snapshot.js';
import { msg } from '../../internal/messages.js';

/** Group call header: who cannot be heard or seen, and why (an SFU call over several media servers). */
export function renderUnreceived(group: GroupCallView): TemplateResult | typeof nothing {
  const unreceived = group.unreceived;
  if (!unreceived?.length) return nothing;
  return html`<ul part="unreceived" class="status unreceived" role="status">
    ${unreceived.map(
      (u) =>
        html`<li data-user=${u.person.userId} data-reason=${u.reason}>
          ${msg(u.reason === 'untrusted' ? 'call.unreceivedUntrusted' : 'call.unreceivedUnreachable', {
            name: u.person.displayName || u.person.userId,
            host: u.host,
          })}
        </li>`,
    )}
  </ul>`;
}

export const focusQuestionStyles = css`
  .unreceived {
    flex-basis: 100%;
    margin: 0;
    padding: 0;
    list-style: none;
    color: var(--_warning);
  }
  .focus-question {
    position: absolute;
    inset-inline: var(--_padding);
    inset-block-start: var(--_padding);
    z-index: 5;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    padding: 0.75rem 1rem;
    border: 2px solid var(--_warning);
    border-radius: 12px;
    background-color: var(--_bg);
    color: var(--_fg);
    box-shadow: 0 0.5rem 2rem rgb(0 0 0 / 0.35);
  }
  .focus-question:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .focus-question h3 {
    margin: 0;
    font-size: 1.1rem;
  }
  .focus-question p {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .focus-question-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
  }
`;
