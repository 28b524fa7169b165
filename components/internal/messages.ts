/**
 * Every string a person sees in the kit's elements, in English, and the lookup that picks the
 * active language. A translation is one file: `registerMessages('de', { ... })` with any subset of
 * the keys below (missing keys fall back to English), then `setLocale('de')`. The widget passes its
 * `lang` URL parameter to setLocale; "de-AT" falls back to "de", then to English.
 *
 * Never: builds markup or knows about elements; `{name}` placeholders are filled from plain strings.
 */

const en = {
  // Whole-widget states
  'status.starting': 'Connecting to the room…',
  'status.noController': 'This call cannot start',
  'error.title': 'Something went wrong',
  'error.details': 'Details',
  // Idle
  'idle.heading': 'Calls',
  'idle.voiceCall': 'Voice call',
  'idle.videoCall': 'Video call',
  'idle.joinGroup': 'Join group call',
  'idle.startGroup': 'Start group call',
  'idle.groupOngoing': 'A group call is going on',
  'idle.walkieTalkie': 'Walkie-talkie',
  'idle.walkieTalkieOff': 'Leave walkie-talkie',
  'idle.publicRoom': 'One-to-one calls are turned off in public rooms.',
  'idle.notTwoPeople': 'One-to-one calls need a room with exactly two people.',
  'idle.nothing': 'There is nothing to start in this room.',
  // Incoming
  'incoming.voice': 'Incoming voice call',
  'incoming.video': 'Incoming video call',
  'incoming.group': 'Incoming group call',
  'incoming.waiting': 'Call waiting',
  'incoming.answerVoice': 'Answer with voice',
  'incoming.answerVideo': 'Answer with video',
  'incoming.reject': 'Decline',
  // In call
  'call.with': 'Call with {name}',
  'call.group': 'Group call',
  'call.participants': '{count} in the call',
  'call.declined': '{names} declined',
  'call.ringingOut': 'Ringing {names}…',
  'call.ringingOutMore': '{count} more',
  'call.preparing': 'Getting ready…',
  'call.inviting': 'Calling {name}…',
  'call.ringing': 'Ringing…',
  'call.connecting': 'Connecting…',
  'call.connected': 'Connected',
  'call.ended': 'Call ended',
  'call.onHold': 'You put the call on hold',
  'call.remoteOnHold': '{name} put the call on hold',
  'call.duration': 'Call duration',
  'call.tiles': 'Participants',
  'call.voiceWith': 'Voice call with {name}',
  'call.reconnecting': 'Reconnecting…',
  'call.reconnectingDetail':
    'The connection to {name} was interrupted. The call resumes by itself when it comes back.',
  'call.holdOverlay': 'On hold',
  'call.holdOverlayLocal': 'You put the call on hold. Resume it with the hold button.',
  'call.holdOverlayRemote': '{name} put the call on hold.',
  'call.swapViews': 'Swap your view and {name}’s',
  'call.layoutSpotlight': 'Spotlight',
  'call.layoutGrid': 'Grid',
  'call.layoutLabel': 'Show the active speaker large',
  'call.left': '{name} left',
  'call.joined': '{name} joined',
  'call.ringingPeople': 'Ringing {names}…',
  'call.errorDismiss': 'Dismiss',
  'audio.blocked': 'The browser is blocking the call’s sound.',
  'audio.enable': 'Turn on sound',
  // Connection health
  'connection.new': 'Starting',
  'connection.checking': 'Connecting',
  'connection.connected': 'Connected',
  'connection.disconnected': 'Connection lost, reconnecting…',
  'connection.failed': 'Connection failed',
  'connection.closed': 'Connection closed',
  // Controls
  'controls.label': 'Call controls',
  'controls.mic': 'Mute microphone',
  'controls.micUnmute': 'Unmute microphone',
  'controls.camera': 'Turn off camera',
  'controls.cameraOn': 'Turn on camera',
  'controls.screenShareStop': 'Stop sharing screen',
  'controls.resume': 'Resume call',
  'controls.screenShare': 'Share screen',
  'controls.hold': 'Hold call',
  'controls.devices': 'Choose devices',
  'controls.keypad': 'Keypad',
  'controls.hangup': 'Hang up',
  'controls.leave': 'Leave call',
  // Tiles
  'tile.you': '{name} (you)',
  'tile.screenShare': '{name}’s screen',
  'tile.micMuted': 'Microphone off',
  'tile.cameraOff': 'Camera off',
  'tile.speaking': 'Speaking',
  'quality.good': 'Good connection',
  'quality.fair': 'Fair connection',
  'quality.poor': 'Poor connection',
  'quality.lost': 'Connection lost',
  'quality.unknown': 'Connection unknown',
  // Ended
  'ended.title': 'Call ended',
  'ended.missed': 'Missed call from {name}',
  'ended.duration': 'The call lasted {duration}.',
  'ended.callAgain': 'Call again',
  'ended.close': 'Close',
  'reason.user_hangup.local': 'You hung up.',
  'reason.user_hangup.remote': '{name} hung up.',
  'reason.ice_failed':
    'The connection failed. A firewall or the network may be blocking calls; try another network.',
  'reason.invite_timeout': '{name} did not answer.',
  'reason.invite_timeout.incoming': 'The call stopped ringing before you answered.',
  'reason.missed.remote': '{name} hung up before you answered.',
  'reason.connection_lost': 'The connection to {name} was lost.',
  'reason.user_busy': '{name} is busy.',
  'reason.user_media_failed':
    'Your microphone or camera could not be started. Check that no other app is using it and that the browser may use it.',
  'reason.user_media_failed.remote':
    '{name}’s microphone or camera could not be started, so the call ended on their side.',
  'reason.unknown_error': 'The call ended because of an error.',
  'reason.ice_timeout': 'The connection was lost.',
  'reason.rejected.local': 'You declined the call.',
  'reason.rejected.remote': '{name} declined the call.',
  'reason.answered_elsewhere': 'The call was answered on another device.',
  'reason.rejected_elsewhere': 'The call was declined on another device.',
  'reason.replaced': 'The call was replaced by a new one.',
  'reason.dismissed': 'You dismissed the call.',
  'reason.peer_left': '{name} left the room.',
  'reason.signalling_failed':
    'The call’s messages could not be sent. Check your connection to the server and try again.',
  // Errors: what happened, then what to do
  'error.capability-denied': 'Your Matrix client did not allow this widget what calls need.',
  'error.capability-denied.fix': 'Allow the widget’s permissions in your client, then reload the widget.',
  'error.no-device': 'No microphone or camera was found.',
  'error.no-device.fix': 'Connect one and try again.',
  'error.device-in-use': 'Your microphone or camera is in use by another app.',
  'error.device-in-use.fix': 'Close the other app and try again.',
  'error.permission-denied': 'The browser blocked the microphone or camera.',
  'error.permission-denied.fix': 'Allow them in the browser’s site settings, then try again.',
  'error.ice-failed': 'The call could not connect.',
  'error.ice-failed.fix': 'A firewall or the network may be blocking calls; try another network.',
  'error.not-two-person-room': 'One-to-one calls need a room with exactly two people.',
  'error.not-two-person-room.fix': 'Call from a direct message room, or start a group call.',
  'error.public-room': 'Calls are turned off in public rooms.',
  'error.public-room.fix': 'Use a private room or a direct message.',
  'error.no-focus': 'No call server is set up for group calls.',
  'error.no-focus.fix': 'Ask the server’s administrator to configure a LiveKit call server.',
  'error.untrusted-focus': 'This call runs on a media server that your side does not trust.',
  'error.untrusted-focus.fix':
    'Ask your server’s administrator to offer a call server, or agree to use this one if you trust it.',
  'error.transport': 'Could not reach a server or service that the call needs.',
  'error.transport.fix': 'Check the connection and try again; if it keeps failing, reload the widget.',
  'error.group-call-full': 'The group call is full.',
  'error.group-call-full.fix':
    'Wait for someone to leave, or ask for a call server (SFU) that takes more people.',
  // A media server the person's side does not trust
  'focus.title': 'Join through another media server?',
  'focus.text':
    '{name} chose the media server {host} for this call. Neither your homeserver nor this app lists it as trusted. Joining shows that server who you are.',
  'focus.agree': 'Join through this server',
  'focus.decline': 'Don’t join',
  'call.unreceivedUntrusted':
    '{name} is on a media server your side does not trust ({host}): you cannot hear or see them.',
  'call.unreceivedUnreachable':
    '{name} is on a media server that could not be reached ({host}): you cannot hear or see them.',
  // Push to talk
  'ptt.label': 'Push to talk',
  'ptt.hold': 'Hold to talk',
  'ptt.toggle': 'Tap to talk',
  'ptt.requesting': 'Waiting for the channel…',
  'ptt.talking': 'Talking: {seconds} s left',
  'ptt.talkingNoLimit': 'Talking',
  'ptt.listening': '{name} is talking',
  'ptt.listeningUnknown': 'Someone is talking',
  'ptt.denied': 'You may not talk in this room',
  'ptt.off': 'Walkie-talkie is off',
  'ptt.queued': '{count} messages waiting',
  'ptt.queuedOne': 'One message waiting',
  'ptt.channelInUse': 'The channel is in use: {name} is talking',
  'ptt.channelQuiet': 'Nobody is talking',
  'ptt.tunedIn': 'Tuned in: {names}',
  'ptt.tuneIn': 'Tune in',
  'ptt.nobodyTunedIn': 'Nobody else is tuned in',
  'ptt.messages': 'Recent messages',
  'ptt.noMessages': 'No messages yet. What is said on the channel is kept here to play again.',
  'ptt.play': 'Play {name}’s message, {duration}',
  'ptt.pause': 'Pause {name}’s message, {duration}',
  'ptt.playOwn': 'Play your message, {duration}',
  'ptt.pauseOwn': 'Pause your message, {duration}',
  'ptt.you': 'You',
  'ptt.state.unplayed': 'New',
  'ptt.state.queued': 'Queued',
  'ptt.state.playing': 'Playing',
  'ptt.state.paused': 'Paused',
  // Devices
  'devices.label': 'Devices',
  'devices.audioinput': 'Microphone',
  'devices.videoinput': 'Camera',
  'devices.audiooutput': 'Speaker',
  'devices.unnamed': '{kind} {n}',
  'devices.none': 'None found',
  // Keypad
  'dtmf.label': 'Keypad',
  'dtmf.sent': 'Sent {tones}',
  // Live region announcements
  'announce.incoming': 'Incoming call from {name}',
  'announce.connected': 'Call with {name} connected',
  'announce.ended': 'Call ended. {reason}',
  'announce.groupJoined': 'You joined the group call',
  'announce.groupLeft': 'You left the group call',
  'announce.hold': 'Call on hold',
  'announce.resumed': 'Call resumed',
} as const;

export type MessageKey = keyof typeof en;
export type MessageTable = { readonly [K in MessageKey]: string };

const tables = new Map<string, Partial<MessageTable>>([['en', en]]);
let active = 'en';

/** Fires `change` after setLocale switches language; elements re-render on it. */
export const localeChanges = new EventTarget();

/** Adds (or extends) the table for a language, e.g. `registerMessages('de', de)`. */
export function registerMessages(lang: string, table: Partial<MessageTable>): void {
  const key = lang.toLowerCase();
  tables.set(key, { ...tables.get(key), ...table });
  if (key === active) localeChanges.dispatchEvent(new Event('change'));
}

/**
 * Picks the language for every string: the exact tag if registered, else its base language, else
 * English. Returns the language chosen.
 */
export function setLocale(lang: string | undefined): string {
  const wanted = (lang ?? 'en').toLowerCase();
  const base = wanted.split(/[-_]/)[0] ?? 'en';
  const chosen = tables.has(wanted) ? wanted : tables.has(base) ? base : 'en';
  if (chosen !== active) {
    active = chosen;
    localeChanges.dispatchEvent(new Event('change'));
  }
  return chosen;
}

export function getLocale(): string {
  return active;
}

/** The string for `key` in the active language, with `{placeholders}` filled in. */
export function msg(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  const template = tables.get(active)?.[key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** "4:05" or "1:02:03". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Up to two initials from a display name, for avatars without a picture. */
export function initials(name: string): string {
  const words = name
    .replace(/^@/, '')
    .split(/[\s:._-]+/)
    .filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? '');
  return letters.join('').toUpperCase() || '?';
}
