/**
 * Which Matrix device a LiveKit participant identity belongs to.
 *
 * A member's media may arrive under `${userId}:${deviceId}` (session memberships, `/sfu/get`), under
 * its membershipID (what Element Call names its member id), or under the hashed identity `/get_token`
 * grants (participant-identity.ts). All three are filed for every member; an identity no membership
 * claims is read as `${userId}:${deviceId}` when it has that shape, else it stays unknown.
 *
 * Owns: the lookup table, rebuilt when the memberships change. Never: trusts an identity to prove
 * who someone is (the SFU's JWT service vouched for it; the key exchange is what protects media).
 */
import { hashedParticipantIdentity, legacyParticipantIdentity } from './participant-identity.js';

export interface DirectoryMember {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId?: string;
}

export interface MatrixDevice {
  readonly userId: string;
  readonly deviceId: string;
}

/** `@user:server(:port):DEVICE` -> user and device; undefined for anything else. */
export function parseLegacyIdentity(identity: string): MatrixDevice | undefined {
  const match = /^(@[^:\s]+:[^\s]+):([^:\s]+)$/.exec(identity);
  return match ? { userId: match[1]!, deviceId: match[2]! } : undefined;
}

export class IdentityDirectory {
  private table = new Map<string, MatrixDevice>();
  private generation = 0;

  /** Rebuilds the table; the hashed identities arrive a moment later (hashing is asynchronous). */
  async update(members: readonly DirectoryMember[]): Promise<void> {
    const generation = ++this.generation;
    const table = new Map<string, MatrixDevice>();
    for (const member of members) {
      const device = { userId: member.userId, deviceId: member.deviceId };
      table.set(legacyParticipantIdentity(member), device);
      if (member.memberId) table.set(member.memberId, device);
    }
    this.table = table;
    const hashed = await Promise.all(members.map((m) => hashedParticipantIdentity(m)));
    if (generation !== this.generation) return;
    hashed.forEach((identity, i) => {
      const member = members[i]!;
      table.set(identity, { userId: member.userId, deviceId: member.deviceId });
    });
  }

  lookup(identity: string): MatrixDevice | undefined {
    return this.table.get(identity) ?? parseLegacyIdentity(identity);
  }
}
