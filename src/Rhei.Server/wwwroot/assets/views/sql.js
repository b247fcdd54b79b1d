// SQL editor: statements go to POST /ksql and their results show as tables; SELECT goes to POST /query-stream, whose
// rows arrive line by line (pull queries end by themselves; push queries stream until stopped, which calls
// POST /close-query); PRINT opens the topic browser. Ctrl+Enter (⌘+Enter) runs; Escape stops a running query.

import { h, render, compact } from '../lib/dom.js';

const HISTORY_KEY = 'rhei.sql.history';
const MAX_ROWS = 1000;
let lastText = null;

export function mount(root) {
  const editor = h('textarea', {
    id: 'sql', class: 'editor', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', rows: '8',
    'aria-label': 'SQL statements', placeholder: 'SHOW STREAMS;\nSELECT * FROM pageviews EMIT CHANGES;',
  });
  editor.value = lastText ?? (history()[0] || 'SHOW STREAMS;');
  const reset = h('select', { id: 'offset-reset', 'aria-label': 'auto.offset.reset' },
    h('option', { value: 'latest' }, 'auto.offset.reset = latest'),
    h('option', { value: 'earliest' }, 'auto.offset.reset = earliest'));
  const run = h('button', { type: 'submit', class: 'primary', id: 'run' }, 'Run');
  const stop = h('button', { type: 'button', id: 'stop', disabled: true }, 'Stop');
  const status = h('p', { class: 'status', id: 'sql-status', role: 'status', 'aria-live': 'polite' });
  const output = h('div', { id: 'results', class: 'results' });
  const recent = h('select', { id: 'history', 'aria-label': 'Recent statements' });

  let running = null; // { controller, queryId }

  function fillHistory() {
    render(recent, h('option', { value: '' }, 'Recent statements…'), history().map((t, i) => h('option', { value: String(i) }, t.length > 80 ? `${t.slice(0, 80)}…` : t)));
  }
  recent.addEventListener('change', () => { const t = history()[Number(recent.value)]; if (t) editor.value = t; recent.value = ''; editor.focus(); });
  fillHistory();

  async function execute(e) {
    e?.preventDefault();
    const text = editor.value.trim();
    if (!text || running) return;
    remember(text);
    fillHistory();
    render(output);
    const print = text.match(/^\s*(?:--[^\n]*\n\s*)*PRINT\s+(?:'([^']+)'|"([^"]+)"|([^\s;]+))/i);
    if (print) {
      // PRINT has no /query-stream form; the topic browser tails a topic with its records decoded.
      location.hash = `#/topics/${encodeURIComponent(print[1] || print[2] || print[3])}`;
      return;
    }
    if (/^\s*(--[^\n]*\n\s*)*SELECT\b/i.test(text)) await query(text);
    else await statements(text);
  }

  async function statements(text) {
    status.textContent = 'Running…';
    const started = performance.now();
    try {
      const response = await fetch('/ksql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.ksql.v1+json', Accept: 'application/vnd.ksql.v1+json' },
        body: JSON.stringify({ ksql: text, streamsProperties: { 'ksql.streams.auto.offset.reset': reset.value } }),
      });
      const body = await response.json().catch(() => null);
      const ms = Math.round(performance.now() - started);
      if (!response.ok) {
        render(output, errorResult(body, response));
        (body?.entities || []).forEach(entity => output.append(entityView(entity)));
        status.textContent = `Failed after ${ms} ms.`;
        return;
      }
      render(output, body.map(entityView));
      status.textContent = `${body.length} statement${body.length === 1 ? '' : 's'} ran in ${ms} ms.`;
    } catch (err) {
      render(output, problem(`The server did not answer: ${err.message}`));
      status.textContent = '';
    }
  }

  async function query(text) {
    const controller = new AbortController();
    // ksqlDB names pull queries in the header too; only EMIT CHANGES makes a query that runs until stopped.
    const push = /\bEMIT\s+CHANGES\b/i.test(text);
    running = { controller, queryId: null, push };
    run.disabled = true;
    stop.disabled = false;
    status.textContent = 'Starting query…';
    const started = performance.now();
    const head = h('tr');
    const body = h('tbody');
    const table = h('table', { class: 'grid-table results-table', id: 'result-table' }, h('thead', {}, head), body);
    let rows = 0;
    let columns = null;
    try {
      const response = await fetch('/query-stream', {
        method: 'POST',
        signal: controller.signal,
        headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.ksqlapi.delimited.v1' },
        body: JSON.stringify({ sql: text, properties: { 'auto.offset.reset': reset.value } }),
      });
      if (!response.ok) {
        const error = await response.json().catch(() => null);
        render(output, errorResult(error, response));
        status.textContent = 'The query failed.';
        return;
      }
      render(output, h('div', { class: 'table-wrap' }, table));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          const item = JSON.parse(line);
          if (columns === null && !Array.isArray(item)) {
            if (item.message && item.error_code) { output.prepend(errorResult(item)); continue; }
            columns = item.columnNames || [];
            running.queryId = item.queryId || null;
            render(head, columns.map((c, i) => h('th', { scope: 'col', title: item.columnTypes?.[i] }, c)));
            status.textContent = push ? `Push query ${running.queryId || ''} running: waiting for rows. Stop ends it.` : 'Pull query running…';
          } else if (Array.isArray(item)) {
            body.append(h('tr', {}, item.map(v => h('td', {}, cell(v)))));
            rows++;
            while (body.children.length > MAX_ROWS) body.firstChild.remove();
            status.textContent = push
              ? `Push query ${running.queryId}: ${rows} row${rows === 1 ? '' : 's'} so far${rows > MAX_ROWS ? ` (last ${MAX_ROWS} shown)` : ''}.`
              : `${rows} row${rows === 1 ? '' : 's'}…`;
            if (push) table.parentElement.scrollTop = table.parentElement.scrollHeight;
          } else if (item.message) {
            output.prepend(errorResult(item));
          }
        }
      }
      const ms = Math.round(performance.now() - started);
      if (rows === 0) body.append(h('tr', { class: 'empty' }, h('td', { colspan: Math.max(1, columns?.length || 1) }, 'No rows.')));
      status.textContent = push ? `Push query ${running.queryId || ''} ended: ${rows} row${rows === 1 ? '' : 's'}.` : `${rows} row${rows === 1 ? '' : 's'} in ${ms} ms.`;
    } catch (err) {
      if (err.name === 'AbortError') status.textContent = `Stopped after ${rows} row${rows === 1 ? '' : 's'}.`;
      else { output.prepend(problem(`The query stream broke off: ${err.message}`)); status.textContent = ''; }
    } finally {
      running = null;
      run.disabled = false;
      stop.disabled = true;
    }
  }

  async function stopQuery() {
    if (!running) return;
    const { controller, queryId, push } = running;
    if (queryId && push) {
      try {
        await fetch('/close-query', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ queryId }) });
      } catch { /* the abort below ends it for this page anyway */ }
    }
    controller.abort();
  }

  stop.addEventListener('click', stopQuery);
  editor.addEventListener('keydown', e => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); execute(); }
    if (e.key === 'Escape' && running) { e.preventDefault(); stopQuery(); }
  });
  editor.addEventListener('input', () => { lastText = editor.value; });

  render(root,
    h('header', { class: 'view-head' }, h('h1', {}, 'SQL editor'), h('p', { class: 'sub' }, 'Run ksqlDB statements. ', h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Enter'), ' runs; SELECT … EMIT CHANGES streams rows until you stop it (', h('kbd', {}, 'Esc'), ').')),
    h('form', { id: 'sql-form', class: 'sql-form', onsubmit: execute },
      editor,
      h('div', { class: 'toolbar' }, run, stop, reset, recent)),
    status,
    output);
  editor.focus();
  return () => { stopQuery(); };
}

function history() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]'); } catch { return []; }
}

function remember(text) {
  const list = [text, ...history().filter(t => t !== text)].slice(0, 30);
  try { localStorage.setItem(HISTORY_KEY, JSON.stringify(list)); } catch { /* private mode */ }
}

function cell(v) {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, 'null');
  return typeof v === 'object' ? h('code', {}, JSON.stringify(v)) : String(v);
}

function problem(text) {
  return h('div', { class: 'notice notice-error', role: 'alert' }, text);
}

function errorResult(body, response) {
  const message = body?.message || (response ? `${response.status} ${response.statusText}` : 'Unknown error');
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('strong', {}, 'Error'), body?.error_code ? h('span', { class: 'small' }, ` ${body.error_code}`) : null,
    h('pre', { class: 'error-message' }, message),
    body?.statementText ? h('div', { class: 'small' }, 'In: ', h('code', {}, body.statementText)) : null);
}

// One /ksql entity as a readable block: lists as tables, descriptions as facts, the rest as JSON.
function entityView(e) {
  const type = e['@type'];
  const title = h('h3', {}, e.statementText || type);
  const warnings = (e.warnings || []).map(w => h('p', { class: 'small warn-text' }, w.message));
  const table = (cols, rows) => h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table' },
    h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.length ? rows.map(r => h('tr', {}, r.map(v => h('td', {}, v === null || v === undefined ? '' : typeof v === 'object' && !(v instanceof Node) ? compact(v) : v))))
      : h('tr', { class: 'empty' }, h('td', { colspan: cols.length }, 'None.')))));
  let content;
  switch (type) {
    case 'currentStatus':
      content = h('p', {}, h('span', { class: `badge badge-${e.commandStatus.status === 'SUCCESS' ? 'ok' : 'bad'}` }, e.commandStatus.status), ' ', e.commandStatus.message);
      break;
    case 'streams':
      content = table(['Stream', 'Topic', 'Key format', 'Value format', 'Windowed'], e.streams.map(s => [s.name, topicLink(s.topic), s.keyFormat, s.valueFormat, String(s.isWindowed)]));
      break;
    case 'tables':
      content = table(['Table', 'Topic', 'Key format', 'Value format', 'Windowed'], e.tables.map(s => [s.name, topicLink(s.topic), s.keyFormat, s.valueFormat, String(s.isWindowed)]));
      break;
    case 'queries':
      content = table(['Query', 'State', 'Sinks', 'Statement'], e.queries.map(q => [q.id, q.state, (q.sinks || []).join(', '), q.queryString]));
      break;
    case 'kafka_topics':
      content = table(['Topic', 'Partitions'], e.topics.map(t => [topicLink(t.name), String(t.replicaInfo?.length ?? '')]));
      break;
    case 'sourceDescription': {
      const d = e.sourceDescription;
      content = h('div', {},
        h('p', {}, `${d.type} ${d.name} over topic `, topicLink(d.topic), ` (${d.keyFormat} key, ${d.valueFormat} value)`),
        table(['Column', 'Type', 'Key'], d.fields.map(f => [f.name, f.schema.type, f.type === 'KEY' ? 'KEY' : ''])));
      break;
    }
    case 'properties':
      content = table(['Property', 'Scope', 'Value'], e.properties.map(p => [p.name, p.scope, p.value]));
      break;
    default:
      content = h('pre', { class: 'json' }, JSON.stringify(e, null, 2));
  }
  return h('section', { class: 'entity' }, title, warnings, content);
}

function topicLink(name) {
  return h('a', { href: `#/topics/${encodeURIComponent(name)}` }, name);
}
