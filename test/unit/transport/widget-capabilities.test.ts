import { expect } from '@open-wc/testing';
import {
  capabilitiesFor,
  capabilitiesToRequest,
  refusedNeeds,
  timelineCapability,
} from '../../../src/transport/widget-capabilities.js';
import type { Need } from '../../../src/transport/transport.js';

const room = '!r:example.org';

describe('widget capabilities for needs', () => {
  it('uses the MSC2762 event, state and to-device capability strings', () => {
    expect(capabilitiesFor({ kind: 'send-event', type: 'm.call.invite' }, room).essential).to.deep.equal([
      'org.matrix.msc2762.send.event:m.call.invite',
    ]);
    expect(capabilitiesFor({ kind: 'receive-state', type: 'm.room.member' }, room).essential).to.deep.equal([
      'org.matrix.msc2762.receive.state_event:m.room.member',
    ]);
    expect(
      capabilitiesFor(
        { kind: 'send-state', type: 'org.matrix.msc3401.call.member', stateKey: '_@a:x_D' },
        room,
      ).essential,
    ).to.deep.equal(['org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:x_D']);
    expect(
      capabilitiesFor({ kind: 'receive-to-device', type: 'm.call.invite' }, room).essential,
    ).to.deep.equal(['org.matrix.msc3819.receive.to_device:m.call.invite']);
  });

  it('asks for TURN, upload, download, delayed events and the room timeline by their MSC names', () => {
    const needs: Need[] = [
      { kind: 'turn-servers' },
      { kind: 'upload-file' },
      { kind: 'download-file' },
      { kind: 'delayed-events' },
      { kind: 'read-timeline' },
      { kind: 'openid' },
    ];
    expect(capabilitiesToRequest(needs, room)).to.deep.equal([
      'town.robin.msc3846.turn_servers',
      'org.matrix.msc4039.upload_file',
      'org.matrix.msc4039.download_file',
      'org.matrix.msc4157.send.delayed_event',
      'org.matrix.msc4157.update_delayed_event',
      timelineCapability(room),
    ]);
  });

  it('asks for each capability once, with the timeline as support for room events', () => {
    const caps = capabilitiesToRequest(
      [
        { kind: 'send-event', type: 'm.call.invite' },
        { kind: 'receive-event', type: 'm.call.invite' },
        { kind: 'read-timeline' },
      ],
      room,
    );
    expect(caps.filter((c) => c === timelineCapability(room))).to.have.length(1);
    expect(caps).to.have.length(3);
  });

  it('refuses a need when an essential capability is missing, never for a supporting one', () => {
    const needs: Need[] = [
      { kind: 'send-event', type: 'm.call.invite' },
      { kind: 'delayed-events' },
      { kind: 'read-timeline' },
      { kind: 'openid' },
    ];
    const approved = new Set([
      'org.matrix.msc2762.send.event:m.call.invite',
      'org.matrix.msc4157.send.delayed_event',
    ]);
    expect(refusedNeeds(needs, room, approved)).to.deep.equal([
      { kind: 'delayed-events' },
      { kind: 'read-timeline' },
    ]);
  });
});
