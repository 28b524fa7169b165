/**
 * FocusApprovals: the person's answers to "another member chose this media server, which your side
 * does not trust: may it have your identity (OpenID token)?" (docs/security.md, "The SFU focus and the
 * OpenID token"). `approveFocus` is what `liveKitBackend({ approveFocus })` takes; a UI shows `pending`
 * and calls `answer` (<matrix-call> does both, see its `approveFocus`).
 *
 * Agreements are remembered per service URL for the lifetime of this object (the page's session), so a
 * call asks once per server; refusals are not remembered (the next join asks again). Questions are
 * shown one at a time; the same server asked again while waiting shares the one question; at most
 * MAX_WAITING_QUESTIONS wait, and more are answered no at once (a member cannot flood the person
 * with prompts).
 *
 * Owns: the queue of questions and the remembered agreements, with a `change` event after every
 * change. Never: touches the DOM, fetches, or decides what is trusted (focus.ts does).
 */

/** Questions waiting (the one shown included); more are refused without asking. */
export const MAX_WAITING_QUESTIONS = 4;

/** Who chose a server, as the LiveKit backend says it (its FocusOwner). */
export interface FocusChooser {
  readonly userId: string;
  readonly deviceId: string;
}

/** A question shown to the person. */
export interface FocusQuestion {
  /** The JWT service the token would go to. */
  readonly serviceUrl: string;
  /** Its host name, the part a person can judge ("sfu.example.org"). */
  readonly host: string;
  /** The member whose membership names it. */
  readonly namedBy: FocusChooser;
}

interface Waiting {
  readonly question: FocusQuestion;
  readonly answers: Array<(agree: boolean) => void>;
}

export class FocusApprovals extends EventTarget {
  private readonly agreed = new Set<string>();
  private readonly waiting: Waiting[] = [];

  /**
   * Asks the person (or answers from an earlier agreement): resolves true to join through the focus.
   * An arrow function, so it can be handed over as `approveFocus` as it is.
   */
  readonly approveFocus = (
    focus: { readonly serviceUrl: string },
    namedBy: FocusChooser,
  ): Promise<boolean> => {
    const serviceUrl = focus.serviceUrl;
    if (this.agreed.has(serviceUrl)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const same = this.waiting.find((w) => w.question.serviceUrl === serviceUrl);
      if (same) {
        same.answers.push(resolve);
        return;
      }
      if (this.waiting.length >= MAX_WAITING_QUESTIONS) {
        resolve(false);
        return;
      }
      this.waiting.push({
        question: Object.freeze({ serviceUrl, host: hostOf(serviceUrl), namedBy }),
        answers: [resolve],
      });
      this.changed();
    });
  };

  /** The question to show now, oldest first. */
  get pending(): FocusQuestion | undefined {
    return this.waiting[0]?.question;
  }

  /** Whether the person agreed to this service URL in this session. */
  agreedTo(serviceUrl: string): boolean {
    return this.agreed.has(serviceUrl);
  }

  /** Answers the question shown now; an agreement is remembered for its service URL. */
  answer(agree: boolean): void {
    const first = this.waiting.shift();
    if (!first) return;
    if (agree) this.agreed.add(first.question.serviceUrl);
    for (const resolve of first.answers) resolve(agree);
    this.changed();
  }

  /** Answers every waiting question no (nobody is there to see them). Agreements stay. */
  declineAll(): void {
    if (this.waiting.length === 0) return;
    for (const waiting of this.waiting.splice(0)) for (const resolve of waiting.answers) resolve(false);
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
