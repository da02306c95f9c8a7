// A run's event stream, read by a worker where the browser can, and its lines handed on in blocks.
// At 100,000 lines/s the stream is about 15 MB/s in some 2,800 batch events a second. Chromium's
// trace of the page showed where that went when every batch came to the page as its text and
// every line stayed there as an object of its own: the page's thread was 90 % busy, a quarter of
// it in 2,800 messages a second, and the young generation's collections stopped it 50 to 114 ms
// at a time, copying the million line objects that stay. So the worker parses the batches, gathers
// what arrives within 10 ms into one block, and a block holds its lines in a few arrays and one
// string (blockOf). The same function reads the stream on the page where a worker cannot (no
// EventSource in workers).
//
// Each message is an array: ['open'], ['error', closed], ['lines', block], [type, id, data] for
// state and result, or ['unsupported'] from a worker without EventSource.
'use strict';

const GATHER_MS = 10; // at most this long between a line's arrival and its message to the page

function followStream(url, send) {
  const source = new EventSource(url);
  let gathered = [], timer = 0;
  const flush = () => {
    clearTimeout(timer);
    timer = 0;
    if (gathered.length === 0) return;
    const block = blockOf(gathered);
    gathered = [];
    send(['lines', block], [block.ids.buffer, block.err.buffer, block.ends.buffer]);
  };
  const gather = event => {
    gathered.push(event);
    if (!timer) timer = setTimeout(flush, GATHER_MS);
  };
  source.onopen = () => send(['open']);
  source.onerror = () => {
    flush();
    send(['error', source.readyState === EventSource.CLOSED]);
  };
  source.addEventListener('batch', e => JSON.parse(e.data).forEach(gather));
  ['stdout', 'stderr'].forEach(type => source.addEventListener(type,
    e => gather({ id: Number(e.lastEventId), event: type, data: e.data, time: null })));
  ['state', 'result'].forEach(type => source.addEventListener(type, e => {
    flush(); // the lines before it come first
    send([type, e.lastEventId, e.data]);
  }));
  return { close: () => { clearTimeout(timer); source.close(); } };
}

// Output events (stdout and stderr) as one block of n lines: their ids, a 1 for each stderr line,
// where each line's text ends in the block's text, and each line's time of day, 12 characters
// (HH:mm:ss.SSS, blank when the event had none).
function blockOf(lines) {
  const n = lines.length;
  const ids = new Float64Array(n), err = new Uint8Array(n), ends = new Uint32Array(n);
  let end = 0;
  for (let k = 0; k < n; k++) {
    ids[k] = lines[k].id;
    err[k] = lines[k].event === 'stderr' ? 1 : 0;
    end += lines[k].data.length;
    ends[k] = end;
  }
  return {
    n, ids, err, ends,
    text: lines.map(e => e.data).join(''),
    times: lines.map(e => e.time ? e.time.substring(11, 23) : '            ').join('')
  };
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  onmessage = message => {
    if (typeof EventSource === 'undefined') postMessage(['unsupported']);
    else followStream(message.data, postMessage);
  };
}
