/**
 * A widget page written the way the README tells npm users to write one: the controller from
 * `matrix-call-kit`, the elements from `matrix-call-kit/elements`, the SFU backend from
 * `matrix-call-kit/livekit`. Bundled by esbuild in a project that installed the packed tarball.
 */
import { CallController, WidgetTransport, parseWidgetParams } from 'matrix-call-kit';
import { ELEMENT_TAGS } from 'matrix-call-kit/elements';
import { liveKitBackend } from 'matrix-call-kit/livekit';

declare global {
  interface Window {
    scratchApp?: { controller: CallController; elements: readonly string[] };
  }
}

const params = parseWidgetParams(location.href);
if (!params.ok) throw new Error(params.reason);
const transport = new WidgetTransport(params.value);
const controller = CallController.create({ transport, groupBackends: { livekit: liveKitBackend() } });
document.querySelector('matrix-call')!.controller = controller;
window.scratchApp = { controller, elements: ELEMENT_TAGS };
void controller.start();
void transport.announceContentLoaded();
