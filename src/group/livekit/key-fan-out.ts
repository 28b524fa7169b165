/**
 * One key sink in front of several LiveKit rooms: in a multi-SFU call this device is connected to its
 * own focus and to each other focus its members publish to, and every room's E2EE needs the same
 * per-participant keys. Keys handed over are remembered (the latest few per participant) and replayed
 * to a room attached later.
 *
 * Owns: that memory and the forwarding. Never: makes, rotates or sends keys (key-ring.ts).
 */
import type { KeyProviderSink } from './key-ring.js';

/** Keys kept per participant for replay (LiveKit's key ring holds 256 slots; rotations are rare). */
const KEPT_PER_PARTICIPANT = 8;
/** Participants remembered at most (a call's members are bounded well below this). */
const MAX_PARTICIPANTS = 512;

export class KeyFanOut implements KeyProviderSink {
  private readonly sinks = new Set<KeyProviderSink>();
  private readonly kept = new Map<string, { bytes: Uint8Array; index: number }[]>();

  setKey(participantIdentity: string, keyBytes: Uint8Array, index: number): void {
    const list = this.kept.get(participantIdentity) ?? [];
    list.push({ bytes: new Uint8Array(keyBytes), index });
    if (list.length > KEPT_PER_PARTICIPANT) list.shift();
    this.kept.delete(participantIdentity);
    this.kept.set(participantIdentity, list);
    if (this.kept.size > MAX_PARTICIPANTS) this.kept.delete(this.kept.keys().next().value!);
    for (const sink of this.sinks) sink.setKey(participantIdentity, keyBytes, index);
  }

  /** Adds a room's sink, handing it every key remembered, oldest first. */
  attach(sink: KeyProviderSink): void {
    if (this.sinks.has(sink)) return;
    this.sinks.add(sink);
    for (const [identity, list] of this.kept) for (const k of list) sink.setKey(identity, k.bytes, k.index);
  }

  detach(sink: KeyProviderSink): void {
    this.sinks.delete(sink);
  }
}
