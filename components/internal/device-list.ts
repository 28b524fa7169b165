/**
 * A ReactiveController that keeps the host's list of media devices current: enumerateDevices() when
 * the host connects and on every `devicechange`, with the listener removed on disconnect.
 *
 * Never: opens a device or asks for permission (labels stay empty until the page has media access).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class DeviceList implements ReactiveController {
  devices: readonly MediaDeviceInfo[] = [];
  /** Set when enumerateDevices is missing or failed. */
  failed = false;
  /** How many times the list was read (for tests and diagnostics). */
  reads = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener('devicechange', this.refresh);
    void this.refresh();
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.refresh);
  }

  of(kind: MediaDeviceKind): MediaDeviceInfo[] {
    return this.devices.filter((d) => d.kind === kind && d.deviceId !== '');
  }

  readonly refresh = async (): Promise<void> => {
    this.reads++;
    try {
      this.devices = await navigator.mediaDevices.enumerateDevices();
      this.failed = false;
    } catch {
      this.devices = [];
      this.failed = true;
    }
    this.host.requestUpdate();
  };
}
