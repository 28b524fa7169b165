/**
 * The demo page's entry (demo/index.html, what `npm start` opens): mounts the embedded default.
 * Owns nothing else. Never: call logic.
 */
import { startDemo, type Demo } from './demo-app.js';

declare global {
  interface Window {
    /** The running demo, for people poking at it in the console. */
    demo?: Demo;
  }
}

window.demo = startDemo(document.getElementById('demo')!);
