// scriptcast's page: start a catalog script and follow its output over Server-Sent Events.
// No framework and no build step: one file, served as it is.
(function () {
  'use strict';

  const app = document.getElementById('app');
  const base = app.dataset.base || ''; // Faces leaves out an empty attribute (context root /)

  document.querySelectorAll('form.script').forEach(setUpForm);
  const shared = new URLSearchParams(location.search).get('run');
  if (shared) {
    fetch(base + '/api/runs/' + encodeURIComponent(shared), { headers: { Accept: 'application/json' } })
      .then(answer => answer.ok ? answer.json() : Promise.reject(answer))
      .then(follow)
      .catch(() => showConsole({ id: shared, script: '?', startedBy: '?', state: 'unknown run' }));
  }

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
      if (answer.status === 201) follow(body);
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

  function showConsole(run) {
    document.getElementById('run').hidden = false;
    const link = document.getElementById('run-link');
    link.textContent = run.id;
    if (run.links) link.href = run.links.page;
    document.getElementById('run-script').textContent = run.script;
    document.getElementById('run-user').textContent = run.startedBy;
    showState(run);
    showAudit(run);
    document.getElementById('output').textContent = '';
    const result = document.getElementById('result');
    result.textContent = '';
    result.className = 'result';
  }

  let source = null;
  let shown = null; // the run whose state the page shows
  let queueWatch = null;

  // The state line, with a queued run's place in the queue, and the Cancel button while the run
  // can still be cancelled. A queued run's place is asked for again every 2 s.
  function showState(run) {
    shown = run;
    const position = run.state === 'QUEUED' && run.queuePosition
      ? ' (number ' + run.queuePosition + ' in the queue)' : '';
    document.getElementById('run-state').textContent = run.state + position;
    document.getElementById('run-cancel').hidden = !(run.state === 'QUEUED' || run.state === 'RUNNING');
    clearTimeout(queueWatch);
    if (run.state === 'QUEUED' && run.links) {
      queueWatch = setTimeout(() => fetch(run.links.self, { headers: { Accept: 'application/json' } })
        .then(answer => answer.json())
        .then(fresh => { if (shown && shown.id === fresh.id && shown.state === 'QUEUED') showState(fresh); })
        .catch(() => {}), 2000);
    }
  }

  // Who started, cancelled, followed and downloaded the run (the server's audit of it).
  function showAudit(run) {
    const audit = document.getElementById('run-audit');
    audit.textContent = '';
    if (!run.links) return;
    fetch(run.links.self + '/audit', { headers: { Accept: 'application/json' } })
      .then(answer => answer.ok ? answer.json() : [])
      .then(entries => {
        audit.textContent = entries.map(e =>
          e.user + ' ' + e.action.toLowerCase() + ' ' + e.time.substring(11, 19)).join(' · ');
      })
      .catch(() => {});
  }

  document.getElementById('run-cancel').addEventListener('click', () => {
    if (!shown || !shown.links) return;
    const button = document.getElementById('run-cancel');
    button.disabled = true;
    fetch(shown.links.self + '/cancel', { method: 'POST', headers: { Accept: 'application/json' } })
      .finally(() => { button.disabled = false; });
  });

  function follow(run) {
    if (source) source.close();
    showConsole(run);
    history.replaceState(null, '', run.links.page);
    const output = document.getElementById('output');
    const connection = document.getElementById('run-connection');
    let pending = document.createDocumentFragment();
    let scheduled = false;

    // Lines are added once per animation frame, not once per event: a fast script must not
    // make the browser lay out the page a hundred thousand times a second.
    function line(event, style) {
      const div = document.createElement('div');
      if (style) div.className = style;
      // a CR inside a line arrives as "\n": show what a terminal shows, the text after it
      const text = event.data;
      const cr = text.lastIndexOf('\n');
      div.textContent = cr < 0 ? text : text.substring(cr + 1);
      pending.appendChild(div);
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(() => {
          const atEnd = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
          output.appendChild(pending);
          pending = document.createDocumentFragment();
          scheduled = false;
          if (atEnd) output.scrollTop = output.scrollHeight;
        });
      }
    }

    source = new EventSource(run.links.events);
    const current = source;
    current.onopen = () => { connection.textContent = 'live'; };
    current.onerror = () => {
      connection.textContent = current.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    };
    current.addEventListener('stdout', e => line(e, null));
    current.addEventListener('stderr', e => line(e, 'err'));
    current.addEventListener('state', e => showState(JSON.parse(e.data)));
    current.addEventListener('result', e => {
      current.close();
      connection.textContent = 'finished';
      showAudit(shown);
      const result = document.getElementById('result');
      const ok = e.data === '0';
      result.className = 'result ' + (ok ? 'ok' : 'bad');
      const code = e.data === 'none' ? '' : ' (exit code ' + e.data + ')';
      const ending = {
        CANCELLED: 'Cancelled by ' + shown.cancelledBy + code,
        TIMED_OUT: 'Stopped: it ran past its timeout' + code,
        INTERRUPTED: 'Interrupted: the server stopped under it'
      }[shown.state];
      result.textContent = ok ? 'Succeeded (exit code 0)'
        : ending || (e.data === 'none' ? 'Failed: the script did not run to an exit code'
        : 'Failed with exit code ' + e.data);
    });
  }
})();
