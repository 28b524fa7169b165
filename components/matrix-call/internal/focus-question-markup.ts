/**
 * The markup of the question about a media server the person's side does not trust (its styles and the
 * rest of the story are in focus-question.ts). Loaded with FocusApprovals only when a question is
 * first asked (focus-asking.ts).
 *
 * Never: decides trust or remembers answers (FocusApprovals does).
 */
import { html, type TemplateResult } from 'lit';
import type { FocusQuestion } from '../../../src/group/focus-approvals.js';
import type { PersonView } from '../../../src/snapshot.js';
import { msg } from '../../internal/messages.js';

/** The display name of whoever chose the server, from the room's members, else their Matrix id. */
export function chooserName(question: FocusQuestion, members: readonly PersonView[] | undefined): string {
  const member = members?.find((m) => m.userId === question.namedBy.userId);
  return member?.displayName || question.namedBy.userId;
}

export function renderFocusQuestion(
  question: FocusQuestion,
  name: string,
  answer: (agree: boolean) => void,
): TemplateResult {
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    answer(false);
  };
  return html`<div
    part="focus-question"
    class="focus-question"
    role="alertdialog"
    aria-modal="false"
    aria-labelledby="focus-question-title"
    aria-describedby="focus-question-text"
    data-service=${question.serviceUrl}
    tabindex="-1"
    @keydown=${onKey}
  >
    <h3 id="focus-question-title">${msg('focus.title')}</h3>
    <p id="focus-question-text">${msg('focus.text', { name, host: question.host })}</p>
    <div class="focus-question-actions">
      <button part="focus-agree-button" class="control primary" @click=${() => answer(true)}>
        ${msg('focus.agree')}
      </button>
      <button part="focus-decline-button" class="control" @click=${() => answer(false)}>
        ${msg('focus.decline')}
      </button>
    </div>
  </div>`;
}
