/**
 * Event type names of MatrixRTC ringing.
 *
 * Owns: the names. Never: parses or builds contents.
 */

/** MSC4075: "a call started here": ring (two-person rooms) or notify (larger rooms). */
export const RTC_NOTIFICATION_EVENT = 'org.matrix.msc4075.rtc.notification';
/** MSC4310: "I decline", a reference to the notification. */
export const RTC_DECLINE_EVENT = 'org.matrix.msc4310.rtc.decline';
/** The older MSC4075 event matrix-js-sdk before v38 sent (notify_type, call_id). Read only. */
export const LEGACY_CALL_NOTIFY_EVENT = 'org.matrix.msc4075.call.notify';

/** Every ringing event type a group call session handles (the controller routes them to it). */
export const RINGING_EVENT_TYPES: readonly string[] = [
  RTC_NOTIFICATION_EVENT,
  LEGACY_CALL_NOTIFY_EVENT,
  RTC_DECLINE_EVENT,
];

/** matrix-js-sdk's lifetime of a notification, and the cap it applies to received ones. */
export const NOTIFICATION_LIFETIME_MS = 30_000;
export const MAX_NOTIFICATION_LIFETIME_MS = 90_000;
/** Receivers use origin_server_ts when sender_ts differs from it by more than this (MSC4075). */
export const SENDER_TS_TOLERANCE_MS = 20_000;
