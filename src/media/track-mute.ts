/**
 * Muting by switching tracks off: a disabled track keeps its place in the connection and sends
 * silence or black frames, so unmuting needs no renegotiation.
 *
 * Owns: enabling and disabling a stream's tracks of one kind, and reading whether a stream has live
 * tracks of a kind. Never: stops tracks or tells the other party (the call sends metadata).
 */

export function setTracksEnabled(stream: MediaStream, kind: 'audio' | 'video', enabled: boolean): void {
  const tracks = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
  for (const track of tracks) track.enabled = enabled;
}

export function hasLiveTrack(stream: MediaStream | undefined, kind: 'audio' | 'video'): boolean {
  if (!stream) return false;
  const tracks = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
  return tracks.some((t) => t.readyState === 'live');
}

export function stopTracks(stream: MediaStream | undefined): void {
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
}
