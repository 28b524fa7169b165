/** Styles of <incoming-call>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const incomingCallStyles = css`
  :host {
    --_bg: var(--mck-incoming-background, ${sys.surface});
    --_fg: var(--mck-incoming-color, ${sys.onSurface});
    --_muted-fg: ${sys.onSurfaceVariant};
    --_radius: var(--mck-incoming-radius, ${sys.radius});
    --_avatar-bg: var(--mck-incoming-avatar-background, ${sys.primary});
    --_avatar-fg: var(--mck-incoming-avatar-color, ${sys.onPrimary});
    --_ring: var(--mck-incoming-ring-color, ${sys.primary});
    display: block;
    color: var(--_fg);
  }
  .incoming {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.5rem;
    padding: 1.5rem;
    border-radius: var(--_radius);
    background-color: var(--_bg);
    text-align: center;
  }
  .avatar {
    display: grid;
    place-items: center;
    inline-size: 6rem;
    aspect-ratio: 1;
    border-radius: 50%;
    overflow: hidden;
    background-color: var(--_avatar-bg);
    color: var(--_avatar-fg);
    font-size: 2.25rem;
    font-weight: 600;
    animation: ring 1.6s ease-out infinite;
  }
  :host([waiting]) .avatar {
    inline-size: 3.5rem;
    font-size: 1.3rem;
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  h2 {
    margin: 0.5rem 0 0;
    font-size: 1.4rem;
    overflow-wrap: anywhere;
  }
  p {
    margin: 0;
    color: var(--_muted-fg);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.75rem;
    margin-block-start: 1rem;
  }
  @keyframes ring {
    0% {
      box-shadow: 0 0 0 0 color-mix(in srgb, var(--_ring) 55%, transparent);
    }
    100% {
      box-shadow: 0 0 0 1.25rem transparent;
    }
  }
`;
