// scriptcast's pages: the catalog's forms start runs, and the run page follows one run's output.
// No framework and no build step: one file, served as it is.
(function () {
  'use strict';

  const app = document.getElementById('app');
  const base = (app && app.dataset.base) || ''; // Faces leaves out an empty attribute (context root /)
  const json = { headers: { Accept: 'application/json' } };

  document.querySelectorAll('form.script').forEach(setUpForm);
  if (app && app.dataset.run) runConsole(app.dataset.run);
  // the run page without ?id=: say so rather than stay at "loading"
  else if (document.getElementById('run-state')) {
    document.getElementById('run-state').textContent = 'No run named: find it in the History';
    document.getElementById('run-connection').textContent = '';
  }

  // ---- the catalog: a form per script, checked here and on the server ----

  function setUpForm(form) {
    form.querySelectorAll('.field').forEach(field => {
      const input = field.querySelector('input, select');
      const fallback = field.dataset.default;
      if (field.dataset.required === 'true') input.required = true;
      if (field.dataset.pattern) input.pattern = field.dataset.pattern;
      if (input.type === 'checkbox') input.checked = fallback === 'true';
      else if (fallback) input.value = fallback;
    });
    form.addEventListener('submit', event => {
      event.preventDefault();
      start(form);
    });
  }

  function start(form) {
    clearErrors(form);
    const params = {};
    let valid = true;
    form.querySelectorAll('.field').forEach(field => {
      const input = field.querySelector('input, select');
      if (!input.checkValidity()) {
        fieldError(form, field.dataset.name, input.validationMessage);
        valid = false;
        return;
      }
      const type = field.dataset.type;
      if (type === 'boolean') params[field.dataset.name] = input.checked;
      else if (input.value === '') return;
      else if (type === 'integer') params[field.dataset.name] = Number(input.value);
      else params[field.dataset.name] = input.value;
    });
    if (!valid) return;
    fetch(base + '/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ script: form.dataset.script, params: params })
    }).then(answer => answer.json().then(body => {
      if (answer.status === 201) location.href = body.links.page;
      else if (body.errors) body.errors.forEach(e => fieldError(form, e.field, e.message));
      else form.querySelector('.form-error').textContent = body.detail || body.title || answer.statusText;
    })).catch(error => {
      form.querySelector('.form-error').textContent = 'The server did not answer: ' + error;
    });
  }

  function clearErrors(form) {
    form.querySelectorAll('.error').forEach(e => { e.textContent = ''; });
    form.querySelectorAll('.field.invalid').forEach(f => f.classList.remove('invalid'));
  }

  function fieldError(form, name, message) {
    const field = form.querySelector('.field[data-name="' + CSS.escape(name) + '"]');
    const target = field ? field.querySelector('.error') : form.querySelector('.form-error');
    if (field) field.classList.add('invalid');
    target.textContent = (field ? '' : name + ': ') + message;
  }

  // ---- the run page: one run's output, live ----

  function runConsole(id) {
    const LINE = 18;          // px per line: fixed, so only the lines in view need elements
    // lines the page holds; beyond, the oldest go, and the page says so (a test may hold fewer)
    const KEEP = window.scriptcastKeep || 1000000;
    // a finished run opens at its last lines; earlier ones on demand, as long as the page has room
    const TAIL = Math.min(20000, Math.floor(KEEP / 5));
    const $ = name => document.getElementById(name);
    const output = $('output'), space = $('output-space'), rows = $('output-rows');
    // The lines the page holds, in the blocks they came in (console-stream.js: blockOf), not an
    // object each. Every line has a position: a block's lines have from, from + 1, ...; the page
    // holds head to tail - 1, and its line i is the one at head + i. A block may start with lines
    // already held (a reconnect's), which it skips: its first line at from is its line o.
    const blocks = [];
    let head = 0, tail = 0;
    let cursor = 0;           // the block found last: drawing and the search go through in order
    let dropped = 0;          // lines let go at the start to stay within KEEP
    let earlier = 0;          // the last event id before the first one loaded (0: none)
    let lastId = 0, run = null, follow = true, scheduled = false, ended = false;
    let drawnFirst = 0, drawnLast = 0, stale = false; // the lines the rows show (render)
    let matches = [], match = -1, query = null, searched = 0, searching = false, source = null;
    let wanted = /^#L(\d+)$/.exec(location.hash); // a shared line link, jumped to once it is here
    const self = base + '/api/runs/' + encodeURIComponent(id);
    const isLine = event => event.event === 'stdout' || event.event === 'stderr';
    const count = () => tail - head;
    const endOf = block => block.from + block.n - block.o; // one past its last line's position

    // for tests and the curious: what the page holds
    window.scriptcast = { lines: count, lastId: () => lastId, text };

    fetch(self, json)
      .then(answer => answer.ok ? answer.json() : Promise.reject(answer.status))
      .then(found => {
        showState(found);
        $('run-link').textContent = found.id;
        $('run-link').href = found.links.page;
        $('run-script').textContent = found.script;
        $('run-user').textContent = found.startedBy;
        $('run-download').href = found.links.log;
        const finished = !['QUEUED', 'RUNNING'].includes(found.state);
        earlier = finished && found.lastEventId > TAIL ? found.lastEventId - TAIL : 0;
        lastId = earlier;
        showHeldBack();
        connect();
        setInterval(showElapsed, 1000);
      })
      .catch(() => { $('run-state').textContent = 'No such run, or not yours to see'; });

    // Events arrive as SSE batches, read off the page's thread (console-stream.js); a browser
    // without EventSource, or a proxy that keeps breaking the stream before anything arrives,
    // gets the long-poll JSON form instead.
    function connect() {
      if (!window.EventSource) return poll();
      let failures = 0, received = false;
      const url = self + '/events?format=batch&after=' + lastId;
      const on = message => {
        const [kind, ...rest] = message;
        if (kind === 'open') {
          $('run-connection').textContent = 'live';
        } else if (kind === 'error') {
          if (ended) return;
          failures++;
          if (!received && failures >= 3) {
            source.close();
            return poll();
          }
          $('run-connection').textContent = rest[0] ? 'closed' : 'reconnecting';
        } else if (kind === 'unsupported') {
          source.close();
          source = followStream(url, on);
        } else {
          received = true;
          if (kind === 'lines') takeLines(rest[0]);
          else take({ id: Number(rest[0]), event: kind, data: rest[1] });
        }
      };
      if (!window.Worker) {
        source = followStream(url, on);
        return;
      }
      const worker = new Worker(base + '/console-stream.js');
      worker.onmessage = message => on(message.data);
      worker.onerror = () => { // a worker that did not load or broke: the page reads the stream itself
        worker.terminate();
        source = followStream(url, on);
      };
      worker.postMessage(url);
      source = { close: () => worker.terminate() };
    }

    function poll() {
      $('run-connection').textContent = 'live (polling)';
      fetch(self + '/events?after=' + lastId + '&wait=25', json)
        .then(answer => answer.ok ? answer.json() : Promise.reject(answer.status))
        .then(page => {
          takeAll(page.events);
          if (!page.done) poll();
        })
        .catch(() => {
          $('run-connection').textContent = 'reconnecting';
          setTimeout(poll, 2000);
        });
    }

    // Every event once, in order: a reconnect resumes after the last id, and anything at or
    // before it is a duplicate.
    function takeLines(block) {
      let o = 0;
      while (o < block.n && block.ids[o] <= lastId) o++;
      if (o === block.n) return;
      const caughtUp = query && searched === count(); // else the search's pass reaches them
      block.o = o;
      block.from = tail;
      blocks.push(block);
      tail = endOf(block);
      lastId = block.ids[block.n - 1];
      if (count() > KEEP) letGo(count() - KEEP + Math.ceil(KEEP / 10));
      if (wanted && lastId >= Number(wanted[1])) {
        wanted = null;
        jumpToHash();
      }
      if (caughtUp) {
        for (; searched < count(); searched++) if (found(searched)) matches.push(searched);
        showMatches();
      }
      schedule();
    }

    // The long polls' events: the lines among them as blocks, the rest one by one, in order.
    function takeAll(events) {
      let run = [];
      events.forEach(event => {
        if (isLine(event)) return run.push(event);
        if (run.length) takeLines(blockOf(run));
        run = [];
        take(event);
      });
      if (run.length) takeLines(blockOf(run));
    }

    function take(event) {
      if (event.id <= lastId) return;
      lastId = event.id;
      if (event.event === 'state') showState(JSON.parse(event.data));
      else if (event.event === 'result') end(event.data);
    }

    // Line i on the page, from its block: made when it is drawn or searched, and let go after.
    function blockAt(position) {
      let b = blocks[cursor];
      if (b && position >= endOf(b) && cursor + 1 < blocks.length) b = blocks[++cursor];
      if (!b || position < b.from || position >= endOf(b)) {
        let low = 0, high = blocks.length - 1;
        while (low < high) {
          const middle = (low + high + 1) >> 1;
          if (blocks[middle].from <= position) low = middle;
          else high = middle - 1;
        }
        cursor = low;
        b = blocks[low];
      }
      return b;
    }

    const textOf = (b, k) => b.text.substring(k ? b.ends[k - 1] : 0, b.ends[k]);

    function text(i) {
      const b = blockAt(head + i);
      return textOf(b, head + i - b.from + b.o);
    }

    function lineAt(i) {
      const b = blockAt(head + i), k = head + i - b.from + b.o;
      return { id: b.ids[k], err: b.err[k] === 1, data: textOf(b, k), time: b.times.substr(k * 12, 12).trim() };
    }

    // The page's index of the first line with this id or a later one, -1 if none.
    function indexOfId(id) {
      for (const b of blocks) {
        if (b.ids[b.n - 1] < id) continue;
        let k = b.o;
        while (b.ids[k] < id) k++;
        return Math.max(0, b.from + k - b.o - head);
      }
      return -1;
    }

    // The oldest lines go a tenth of KEEP at a time. One at a time, every new line moved a million
    // array entries: a run printing 100,000 lines/s past KEEP froze the page for 5 to 18 s at a
    // time (bench/Console.java). The search's matches and the view follow the lines that stay.
    function letGo(many) {
      head += many;
      stale = true; // line i is another line now
      while (blocks.length && endOf(blocks[0]) <= head) blocks.shift();
      cursor = 0;
      dropped += many;
      const gone = matches.findIndex(i => i >= many);
      const left = gone < 0 ? matches.length : gone;
      matches = matches.slice(left).map(i => i - many);
      searched = Math.max(0, searched - many);
      match = match < left ? -1 : match - left;
      showMatches();
      if (!follow) output.scrollTop = Math.max(0, output.scrollTop - many * LINE);
      showHeldBack();
    }

    function end(code) {
      ended = true;
      if (source) source.close();
      $('run-connection').textContent = 'finished';
      const result = $('result');
      const ok = code === '0';
      const exit = code === 'none' ? '' : ' (exit code ' + code + ')';
      const ending = {
        CANCELLED: 'Cancelled by ' + (run && run.cancelledBy) + exit,
        TIMED_OUT: 'Stopped: it ran past its timeout' + exit,
        INTERRUPTED: 'Interrupted: the server stopped under it'
      }[run && run.state];
      result.className = 'result ' + (ok ? 'ok' : 'bad');
      result.textContent = ok ? 'Succeeded (exit code 0)'
        : ending || (code === 'none' ? 'Failed: the script did not run to an exit code'
        : 'Failed with exit code ' + code);
      showAudit();
      showElapsed();
    }

    // ---- drawing: only the lines in view have elements ----

    function schedule() {
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(render);
      }
    }

    // Reads first, then writes, then the scroll position: one layout a frame. Reading the scroll
    // height after setting the space's height made it two (Chromium's trace). The rows of lines
    // that stay in view stay as they are: a page following a run that prints 100 lines/s redrew
    // some 70 rows 60 times a second, and its renderer took half a core.
    function render() {
      scheduled = false;
      const height = output.clientHeight;
      const top = follow ? Math.max(0, count() * LINE - height) : output.scrollTop;
      const first = Math.max(0, Math.floor(top / LINE) - 10);
      const last = Math.min(count(), Math.ceil((top + height) / LINE) + 10);
      space.style.height = (count() * LINE) + 'px';
      rows.style.transform = 'translateY(' + (first * LINE) + 'px)';
      if (stale || first >= drawnLast || last <= drawnFirst) {
        const fragment = document.createDocumentFragment();
        for (let i = first; i < last; i++) fragment.appendChild(row(i));
        rows.replaceChildren(fragment);
      } else {
        for (let i = drawnFirst; i < first; i++) rows.firstElementChild.remove();
        for (let i = last; i < drawnLast; i++) rows.lastElementChild.remove();
        const before = document.createDocumentFragment(), after = document.createDocumentFragment();
        for (let i = first; i < drawnFirst; i++) before.appendChild(row(i));
        for (let i = Math.max(first, drawnLast); i < last; i++) after.appendChild(row(i));
        rows.prepend(before);
        rows.append(after);
      }
      stale = false;
      drawnFirst = first;
      drawnLast = last;
      if (follow) output.scrollTop = top;
    }

    // Every row drawn again at the next frame: line i is another line now, or its marks changed.
    function redraw() {
      stale = true;
      schedule();
    }

    function row(i) {
      const line = lineAt(i);
      const div = document.createElement('div');
      div.className = 'line' + (line.err ? ' err' : '') + (matches[match] === i ? ' match' : '')
        + (location.hash === '#L' + line.id ? ' target' : '');
      const number = document.createElement('a');
      number.className = 'n';
      number.href = '#L' + line.id;
      number.textContent = line.id;
      div.appendChild(number);
      if (line.time) {
        const time = document.createElement('span');
        time.className = 't';
        time.textContent = line.time;
        div.appendChild(time);
      }
      ansi(shown(line.data), div);
      return div;
    }

    // A CR inside a line is a progress bar redrawing itself: show what a terminal would show.
    function shown(text) {
      const cr = text.lastIndexOf('\r');
      return cr < 0 ? text : text.substring(cr + 1);
    }

    // ANSI SGR colour and bold codes become classes; other escape sequences are not shown.
    // The raw log keeps them all.
    function ansi(text, into) {
      const pattern = /\x1b\[([0-9;]*)([A-Za-z])/g;
      let at = 0, style = { fg: null, bold: false }, found;
      const span = upTo => {
        if (upTo <= at) return;
        const s = document.createElement('span');
        s.className = 'x' + (style.fg !== null ? ' c' + style.fg : '') + (style.bold ? ' b' : '');
        s.textContent = text.substring(at, upTo);
        into.appendChild(s);
      };
      while ((found = pattern.exec(text)) !== null) {
        span(found.index);
        at = pattern.lastIndex;
        if (found[2] !== 'm') continue;
        (found[1] === '' ? ['0'] : found[1].split(';')).forEach(code => {
          const n = Number(code);
          if (n === 0) style = { fg: null, bold: false };
          else if (n === 1) style.bold = true;
          else if (n === 22) style.bold = false;
          else if (n === 39) style.fg = null;
          else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) style.fg = n;
        });
      }
      span(text.length);
    }

    // Follow mode: the newest line stays in view until the user scrolls up; then a button
    // brings it back.
    output.addEventListener('scroll', () => {
      const atEnd = output.scrollTop + output.clientHeight >= output.scrollHeight - LINE;
      if (follow !== atEnd) {
        follow = atEnd;
        $('follow').hidden = follow;
      }
      schedule();
    });
    $('follow').addEventListener('click', () => {
      follow = true;
      $('follow').hidden = true;
      schedule();
    });
    $('show-times').addEventListener('change', e => output.classList.toggle('times', e.target.checked));
    window.addEventListener('hashchange', jumpToHash);

    function jumpToHash() {
      const wanted = /^#L(\d+)$/.exec(location.hash);
      if (!wanted) return;
      const i = indexOfId(Number(wanted[1]));
      if (i >= 0) scrollTo(i);
    }

    function scrollTo(i) { // to a match or a shared line: marked, so drawn again
      follow = false;
      $('follow').hidden = false;
      output.scrollTop = Math.max(0, i * LINE - output.clientHeight / 2);
      redraw();
    }

    // ---- search ----

    // A search goes through the lines in slices of about 8 ms, between frames: all at once it took
    // 96 to 125 ms a key with a million lines on the page (bench/Console.java). Lines that arrive
    // meanwhile are reached by the same pass; once it is done, each new line is checked as it comes.
    $('search').addEventListener('input', e => {
      const text = e.target.value;
      query = text ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : null;
      restartSearch();
    });

    function restartSearch() {
      matches = [];
      match = -1;
      searched = 0;
      showMatches();
      redraw();
      if (query && !searching) {
        searching = true;
        setTimeout(searchSome);
      }
    }

    function searchSome() {
      const stop = performance.now() + 8;
      while (query && searched < count() && performance.now() < stop) {
        for (const end = Math.min(count(), searched + 2000); searched < end; searched++) {
          if (found(searched)) matches.push(searched);
        }
      }
      showMatches();
      schedule();
      searching = query !== null && searched < count();
      if (searching) setTimeout(searchSome);
    }

    function found(i) {
      return query.test(shown(text(i)));
    }

    $('search').addEventListener('keydown', e => {
      if (e.key !== 'Enter' || matches.length === 0) return;
      match = (match + (e.shiftKey ? matches.length - 1 : 1)) % matches.length;
      showMatches();
      scrollTo(matches[match]);
    });

    function showMatches() {
      const more = searched < count() ? ' so far' : '';
      $('search-count').textContent = !query ? ''
        : matches.length === 0 ? (more ? 'searching' : 'no match')
        : (match >= 0 ? (match + 1) + ' of ' : '') + matches.length + ' matches' + more;
    }

    // ---- what the page holds back, and earlier lines on demand ----

    function showHeldBack() {
      const notice = $('held-back');
      const parts = [];
      if (earlier > 0) parts.push('The run is long: the page opened at event ' + (earlier + 1) + '.');
      if (dropped > 0) parts.push(dropped + ' earlier lines are no longer on the page.');
      if (earlier > 0 && count() >= KEEP) parts.push('The page holds as many lines as it can (' + KEEP + ').');
      notice.hidden = parts.length === 0;
      notice.textContent = parts.join(' ') + (parts.length ? ' The whole output is in the log: ' : '');
      if (parts.length) {
        const link = document.createElement('a');
        link.href = self + '/log';
        link.textContent = 'download it';
        notice.appendChild(link);
      }
      $('load-earlier').hidden = earlier === 0 || count() >= KEEP;
    }

    // Earlier lines come at most TAIL at a time, and only as many as the page has room for: a
    // finished run gets no new lines, so nothing would let them go again. The button waits for
    // its page, or a second click would load the same lines twice.
    $('load-earlier').addEventListener('click', () => {
      const button = $('load-earlier');
      button.disabled = true; // a disabled button gets no clicks
      const from = Math.max(0, earlier - Math.min(TAIL, KEEP - count())), until = earlier;
      const loaded = [];
      const page = after => fetch(self + '/events?after=' + after, json)
        .then(answer => answer.json())
        .then(body => {
          body.events.forEach(e => { if (e.id <= until && isLine(e)) loaded.push(e); });
          const next = body.lastEventId;
          if (next < until && body.events.length > 0) return page(next);
          const block = blockOf(loaded);
          if (block.n > 0) {
            block.o = 0;
            block.from = head - block.n;
            head = block.from;
            blocks.unshift(block);
            cursor = 0;
          }
          earlier = from;
          restartSearch(); // the earlier lines may match too; and every row is drawn again
          output.scrollTop += loaded.length * LINE;
          showHeldBack();
        });
      page(from).finally(() => { button.disabled = false; });
    });

    // ---- state, cancel, audit, elapsed time ----

    function showState(fresh) {
      run = fresh;
      const position = fresh.state === 'QUEUED' && fresh.queuePosition
        ? ' (number ' + fresh.queuePosition + ' in the queue)' : '';
      $('run-state').textContent = fresh.state + position;
      $('run-cancel').hidden = !['QUEUED', 'RUNNING'].includes(fresh.state);
      if (fresh.state === 'QUEUED') {
        setTimeout(() => fetch(self, json).then(a => a.json())
          .then(again => { if (run.state === 'QUEUED') showState(again); }).catch(() => {}), 2000);
      }
      showElapsed();
    }

    function showElapsed() {
      if (!run || !run.startedAt) {
        $('run-elapsed').textContent = 'not started';
        return;
      }
      const until = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
      const seconds = Math.max(0, Math.round((until - Date.parse(run.startedAt)) / 1000));
      $('run-elapsed').textContent = (run.finishedAt ? 'took ' : 'running for ')
        + (seconds >= 60 ? Math.floor(seconds / 60) + ' min ' : '') + (seconds % 60) + ' s';
    }

    $('run-cancel').addEventListener('click', () => {
      const button = $('run-cancel');
      button.disabled = true;
      fetch(self + '/cancel', { method: 'POST', headers: { Accept: 'application/json' } })
        .then(answer => answer.json().then(body => {
          if (answer.status !== 202) $('result').textContent = body.detail || body.title;
        }))
        .finally(() => { button.disabled = false; });
    });

    function showAudit() {
      fetch(self + '/audit', json)
        .then(answer => answer.ok ? answer.json() : [])
        .then(entries => {
          $('run-audit').textContent = entries.map(e =>
            e.user + ' ' + e.action.toLowerCase() + ' ' + e.time.substring(11, 19)).join(' · ');
        })
        .catch(() => {});
    }
    showAudit();
  }
})();
