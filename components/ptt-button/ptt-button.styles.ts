/** Styles of <ptt-button>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const pttButtonStyles = css`
  :host {
    --_size: var(--mck-ptt-size, 8rem);
    --_bg: var(--mck-ptt-background, ${sys.surfaceVariant});
    --_fg: var(--mck-ptt-color, ${sys.onSurface});
    --_talking-bg: var(--mck-ptt-talking-background, ${sys.primary});
    --_talking-fg: var(--mck-ptt-talking-color, ${sys.onPrimary});
    --_listening-ring: var(--mck-ptt-listening-color, ${sys.warning});
    --_denied-fg: ${sys.onSurfaceVariant};
    --_status-fg: ${sys.onSurface};
    display: inline-block;
    color: var(--_status-fg);
  }
  .ptt {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.6rem;
  }
  .talk {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.3rem;
    inline-size: var(--_size);
    aspect-ratio: 1;
    border: 2px solid transparent;
    border-radius: 50%;
    background-color: var(--_bg);
    color: var(--_fg);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
    transition:
      background-color var(--_motion),
      transform var(--_motion);
  }
  .talk svg.icon {
    inline-size: 2.2em;
    block-size: 2.2em;
  }
  :host([pressed]) .talk,
  .ptt[data-floor='talking'] .talk {
    background-color: var(--_talking-bg);
    color: var(--_talking-fg);
    transform: scale(1.04);
  }
  .ptt[data-floor='requesting'] .talk {
    animation: breathe 1s ease-in-out infinite;
  }
  .ptt[data-floor='listening'] .talk {
    border-color: var(--_listening-ring);
  }
  .talk[aria-disabled='true'] {
    cursor: not-allowed;
    color: var(--_denied-fg);
  }
  .status,
  .queued {
    margin: 0;
    min-block-size: 1.4em;
    text-align: center;
  }
  .queued {
    font-size: 0.875rem;
  }
  .progress {
    inline-size: var(--_size);
    block-size: 4px;
    border-radius: 2px;
    background-color: var(--_bg);
    overflow: hidden;
  }
  .progress span {
    display: block;
    block-size: 100%;
    background-color: var(--_talking-bg);
  }
  @keyframes breathe {
    50% {
      opacity: 0.7;
    }
  }
`;
