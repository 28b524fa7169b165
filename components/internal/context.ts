/**
 * The @lit/context key under which an ancestor (usually <matrix-call>) hands its call controller to the
 * elements inside it.
 *
 * Never: holds state. Context only notifies when the controller object is replaced; elements follow
 * the controller's own `change` events through ControllerSubscription.
 */
import { createContext } from '@lit/context';
import type { CallControllerApi } from '../../src/snapshot.js';

export const callControllerContext = createContext<CallControllerApi | undefined>(Symbol.for('matrix-call-kit.controller'));
