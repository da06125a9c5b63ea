// Unit tests of the live map's pure functions, run
// by Node without a browser: reading Server-Sent Events as they arrive in
// chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvents } from '../page/live.js';

test('events are read whatever the chunks they arrive in', () => {
  const stream = 'retry: 3000\n\nevent: ready\nid: 4\ndata: {"seq":4}\n\n: ping\n\n' +
    'event: incident\r\nid: 5\r\ndata: {"id":"a",\r\ndata: "x":1}\r\n\r\nevent: removed\nid: 6\ndata: {"id":"b"}\n\n';
  const want = [
    { name: 'ready', id: '4', data: '{"seq":4}' },
    { name: 'incident', id: '5', data: '{"id":"a",\n"x":1}' },
    { name: 'removed', id: '6', data: '{"id":"b"}' },
  ];
  for (const size of [1, 2, 7, 64, stream.length]) {
    const got = [];
    let buf = '';
    for (let i = 0; i < stream.length; i += size) {
      const { events, rest } = parseEvents(buf + stream.slice(i, i + size));
      buf = rest;
      got.push(...events);
    }
    assert.deepEqual(got, want, `chunks of ${size}`);
    assert.equal(buf, '');
  }
  // An unfinished event waits for its end.
  assert.deepEqual(parseEvents('event: incident\ndata: {"id"'), { events: [], rest: 'event: incident\ndata: {"id"' });
});
