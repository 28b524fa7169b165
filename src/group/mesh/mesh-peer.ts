/**
 * Who is who in a mesh: a device in the call with the session it joined as, the order that decides
 * which of two devices places the call, and the key a leg is filed under.
 *
 * Owns: MeshPeer, the (user id, device id) order and the device key. Never: reads memberships,
 * keeps state or talks to Matrix.
 */

/** One device in the call, as its membership names it. */
export interface MeshPeer {
  readonly userId: string;
  readonly deviceId: string;
  /** This joining of the device (CallMembership.sessionId): legs are addressed to it. */
  readonly sessionId: string;
}

/** Orders (user id, device id) pairs by user id, then device id, by UTF-16 code units. */
export function compareDevices(
  a: { readonly userId: string; readonly deviceId: string },
  b: { readonly userId: string; readonly deviceId: string },
): number {
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return 0;
}

/**
 * Whether `self` places the call to `other`: the lesser (user id, device id) pair calls, as
 * matrix-js-sdk's mesh decides it, so both ends agree without talking. Two devices of one user are
 * ordered by device id.
 */
export function placesCallTo(
  self: { readonly userId: string; readonly deviceId: string },
  other: { readonly userId: string; readonly deviceId: string },
): boolean {
  return compareDevices(self, other) < 0;
}

/** The key a device's leg is filed under. */
export function legKey(peer: { readonly userId: string; readonly deviceId: string }): string {
  return `${peer.userId}|${peer.deviceId}`;
}
