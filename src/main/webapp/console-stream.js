// A run's event stream, read by a worker where the browser can. At 100,000 lines/s the stream is
// about 15 MB/s; read in a worker, the page only parses each batch's data, and it had half the
// long tasks it had reading the stream itself (bench/Console.java). The same function reads it on
// the page where a worker cannot (no EventSource in workers).
//
// Each message is an array: ['open'], ['error', closed], ['batch', data], [type, id, data] for
// the other events, or ['unsupported'] from a worker without EventSource.
'use strict';

function followStream(url, send) {
  const source = new EventSource(url);
  source.onopen = () => send(['open']);
  source.onerror = () => send(['error', source.readyState === EventSource.CLOSED]);
  source.addEventListener('batch', e => send(['batch', e.data]));
  ['stdout', 'stderr', 'state', 'result'].forEach(type =>
    source.addEventListener(type, e => send([type, e.lastEventId, e.data])));
  return source;
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  onmessage = message => {
    if (typeof EventSource === 'undefined') postMessage(['unsupported']);
    else followStream(message.data, postMessage);
  };
}
