/**
 * The widget page's entry (demo/widget.html): the page Element Web, the demo host or any widget host
 * loads. It opens the WidgetTransport from the URL as the page loads, applies the host's language
 * and theme (from the URL, then from the host's theme_change / language_change actions), installs
 * MatrixCallElement.controllerFactory, and only then registers <matrix-call> and the elements inside
 * it, so <matrix-call> builds its controller through that hook.
 *
 * Owns: the page's start-up order and the host's look-and-language messages.
 * Never: call logic or capability choices (the controller asks for its own needs).
 */
import { WidgetApiToWidgetAction, type IWidgetApiRequest } from 'matrix-widget-api';
import { MatrixCallElement } from '../components/matrix-call/internal/matrix-call.js';
import { setLocale } from '../components/internal/messages.js';
import { connectWidget, controllerFactoryOf, type WidgetConnection } from './widget-controller.js';

declare global {
  interface Window {
    /** The widget's connection, for people debugging in the console and for end-to-end tests. */
    matrixCallWidget?: WidgetConnection;
  }
}

const connection = connectWidget(location.href);
window.matrixCallWidget = connection;

function applyTheme(theme: string | undefined): void {
  const value = theme && /light|dark/i.test(theme) ? theme.toLowerCase() : 'auto';
  for (const element of document.querySelectorAll('matrix-call')) element.setAttribute('theme', value);
  document.documentElement.style.colorScheme =
    value === 'auto' ? 'light dark' : value.includes('dark') ? 'dark' : 'light';
}

if (connection.ok) {
  setLocale(connection.params.lang ?? navigator.language);
  applyTheme(connection.params.theme);
  const api = connection.transport.api;
  api.on(`action:${WidgetApiToWidgetAction.ThemeChange}`, (event: CustomEvent<IWidgetApiRequest>) => {
    event.preventDefault();
    api.transport.reply(event.detail, {});
    const name = (event.detail.data as { name?: unknown }).name;
    applyTheme(typeof name === 'string' ? name : undefined);
  });
  api.on(`action:${WidgetApiToWidgetAction.LanguageChange}`, (event: CustomEvent<IWidgetApiRequest>) => {
    event.preventDefault();
    api.transport.reply(event.detail, {});
    const lang = (event.detail.data as { lang?: unknown }).lang;
    if (typeof lang === 'string') setLocale(lang);
  });
} else {
  setLocale(navigator.language);
  console.warn(`matrix call kit: ${connection.reason}`);
}

MatrixCallElement.controllerFactory = controllerFactoryOf(connection);
// Registered last: a <matrix-call> already in the page upgrades now and finds the factory set. Only
// <matrix-call> and the elements a 1:1 call shows are loaded here; the walkie-talkie view's elements
// load when that view first shows (components/matrix-call/internal/walkie-elements.ts).
await import('../components/matrix-call/matrix-call.js');
// Ready: hosts that wait for content_loaded (waitForIframeLoad=false) begin the capability exchange now.
if (connection.ok) void connection.transport.announceContentLoaded();
