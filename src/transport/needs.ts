/**
 * Needs as values: a stable key per need, equality, and whether one need covers another.
 *
 * Owns: comparing Need values (used to ask only for new needs, to apply deny lists, and to check an
 * operation against what was granted). Never: talks to a host or knows widget capability strings.
 */
import type { Need } from './transport.js';

/** A string that is equal for equal needs. */
export function needKey(need: Need): string {
  switch (need.kind) {
    case 'send-state':
    case 'receive-state':
      return `${need.kind}|${need.type}|${need.stateKey ?? '*'}`;
    case 'send-event':
    case 'receive-event':
    case 'send-to-device':
    case 'receive-to-device':
      return `${need.kind}|${need.type}`;
    default:
      return need.kind;
  }
}

/** Needs without repeats, in first-seen order. */
export function uniqueNeeds(needs: readonly Need[]): Need[] {
  const seen = new Set<string>();
  return needs.filter((need) => {
    const key = needKey(need);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * True when `granted` allows what `wanted` asks: same kind and type, and for state either
 * `granted` has no state key (all keys) or the same one.
 */
export function needCovers(granted: Need, wanted: Need): boolean {
  if (granted.kind !== wanted.kind) return false;
  if ('type' in granted && 'type' in wanted && granted.type !== wanted.type) return false;
  if ((granted.kind === 'send-state' || granted.kind === 'receive-state') && granted.stateKey !== undefined) {
    return 'stateKey' in wanted && wanted.stateKey === granted.stateKey;
  }
  return true;
}
