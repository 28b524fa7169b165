/**
 * Watches the ICE connection and decides when to restart ICE and when to give up: at once when ICE
 * fails, after a while when it stays disconnected, and the call ends with ice_failed when it has not
 * recovered within a time limit.
 *
 * Owns: the restart and give-up timers. Never: touches the peer connection (it calls back).
 */
import type { CallClock } from './peer-call-contract.js';

export interface IceWatchdogOptions {
  readonly clock: CallClock;
  readonly disconnectedRestartMs: number;
  readonly giveUpMs: number;
  readonly restart: () => void;
  readonly giveUp: () => void;
}

export class IceWatchdog {
  private restartTimer: unknown;
  private giveUpTimer: unknown;
  private stopped = false;

  constructor(private readonly options: IceWatchdogOptions) {}

  get troubled(): boolean {
    return this.giveUpTimer !== undefined;
  }

  onState(state: RTCIceConnectionState): void {
    if (this.stopped) return;
    switch (state) {
      case 'connected':
      case 'completed':
        this.clearRestart();
        this.clearGiveUp();
        return;
      case 'failed':
        this.clearRestart();
        this.startGiveUp();
        this.options.restart();
        return;
      case 'disconnected':
        this.startGiveUp();
        if (this.restartTimer === undefined) {
          this.restartTimer = this.options.clock.setTimeout(() => {
            this.restartTimer = undefined;
            if (!this.stopped) this.options.restart();
          }, this.options.disconnectedRestartMs);
        }
        return;
      case 'closed':
        this.stop();
        return;
      default:
        return;
    }
  }

  stop(): void {
    this.stopped = true;
    this.clearRestart();
    this.clearGiveUp();
  }

  private startGiveUp(): void {
    if (this.giveUpTimer !== undefined) return;
    this.giveUpTimer = this.options.clock.setTimeout(() => {
      this.giveUpTimer = undefined;
      if (this.stopped) return;
      this.stop();
      this.options.giveUp();
    }, this.options.giveUpMs);
  }

  private clearRestart(): void {
    if (this.restartTimer !== undefined) this.options.clock.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private clearGiveUp(): void {
    if (this.giveUpTimer !== undefined) this.options.clock.clearTimeout(this.giveUpTimer);
    this.giveUpTimer = undefined;
  }
}
