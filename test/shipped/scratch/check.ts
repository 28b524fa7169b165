/**
 * Types as an npm user meets them: each entry's names resolve and carry their types (a wrong use
 * below would not compile). Checked with tsconfig.bundler.json and tsconfig.node16.json.
 */
import {
  CallController,
  WidgetTransport,
  parseWidgetParams,
  type CallControllerApi,
  type MatrixTransport,
} from 'matrix-call-kit';
import { MatrixCall, ELEMENT_TAGS, type MatrixCallView } from 'matrix-call-kit/elements';
import { liveKitBackend, LiveKitCallError } from 'matrix-call-kit/livekit';

export function build(href: string): CallControllerApi | string {
  const params = parseWidgetParams(href);
  if (!params.ok) return params.reason;
  const transport: MatrixTransport = new WidgetTransport(params.value);
  return CallController.create({ transport, groupBackends: { livekit: liveKitBackend() } });
}

export const element: MatrixCall = document.createElement('matrix-call');
export const tags: readonly string[] = ELEMENT_TAGS;
export const view: MatrixCallView | undefined = undefined;
export const isSfuError = (error: unknown): boolean => error instanceof LiveKitCallError;
