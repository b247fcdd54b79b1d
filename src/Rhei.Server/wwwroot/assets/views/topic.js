// One topic: partitions, configs, the streams and tables over it, and a record browser that reads the newest records,
// from the beginning, from an offset or from a time — or tails the topic live. Keys and values are decoded by the
// format of a stream or table declared over the topic; otherwise shown as JSON, text or hex.

import { h, render, getJson, fmtBytes, fmtNumber, fmtTime, errorBox, emptyRow, compact } from '../lib/dom.js';

const MAX_ROWS = 500;

export function mount(root, name) {
  const enc = encodeURIComponent(name);
  const summary = h('div');
  const problem = h('div');
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const rows = h('tbody');

  const from = h('select', { id: 'from', 'aria-label': 'Start reading from' },
    h('option', { value: 'latest' }, 'Newest records'),
    h('option', { value: 'beginning' }, 'Beginning'),
    h('option', { value: 'offset' }, 'Offset…'),
    h('option', { value: 'timestamp' }, 'Time…'));
  const offset = h('input', { type: 'number', id: 'offset', min: '0', placeholder: 'offset', 'aria-label': 'Offset', hidden: true });
  const time = h('input', { type: 'datetime-local', id: 'time', step: '1', 'aria-label': 'Time', hidden: true });
  const partition = h('select', { id: 'partition', 'aria-label': 'Partition' }, h('option', { value: '' }, 'All partitions'));
  const limit = h('select', { id: 'limit', 'aria-label': 'Records per page' }, [25, 100, 500].map(n => h('option', { value: String(n), selected: n === 100 }, `${n} records`)));
  const load = h('button', { type: 'submit', class: 'primary', id: 'load' }, 'Read');
  const live = h('button', { type: 'button', id: 'live', 'aria-pressed': 'false' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), 'Live tail');
  from.addEventListener('change', () => { offset.hidden = from.value !== 'offset'; time.hidden = from.value !== 'timestamp'; });

  let source = null;
  let controller = null;
  let shown = 0;

  function params() {
    const p = new URLSearchParams();
    if (partition.value) p.set('partition', partition.value);
    if (from.value === 'offset') p.set('offset', offset.value || '0');
    else if (from.value === 'timestamp') p.set('timestamp', String(time.value ? new Date(time.value).getTime() : Date.now()));
    else p.set('from', from.value);
    return p;
  }

  async function read(e) {
    e?.preventDefault();
    stopTail();
    controller?.abort();
    controller = new AbortController();
    const p = params();
    p.set('limit', limit.value);
    status.textContent = 'Reading…';
    try {
      const page = await getJson(`/api/console/topics/${enc}/records?${p}`, controller.signal);
      render(problem);
      render(rows, page.records.length === 0 ? emptyRow(6, 'No records there. Try “Beginning”, or start a live tail and produce some.') : page.records.map(row));
      shown = page.records.length;
      status.textContent = `${shown} record${shown === 1 ? '' : 's'}${page.decodedAs ? `, decoded as ${page.decodedAs}` : ''}.`;
    } catch (err) {
      if (err.name === 'AbortError') return;
      render(problem, errorBox(`Could not read records: ${err.message}`));
      status.textContent = '';
    }
  }

  function startTail() {
    stopTail();
    const p = params();
    if (from.value === 'latest') p.set('from', 'end');
    render(rows, emptyRow(6, 'Waiting for records…'));
    shown = 0;
    source = new EventSource(`/api/console/topics/${enc}/tail?${p}`);
    live.setAttribute('aria-pressed', 'true');
    live.classList.add('on');
    status.textContent = 'Live: connecting…';
    // The server sends 'ready' once it holds the position the tail starts from: records written after it will come.
    source.addEventListener('ready', () => { if (shown === 0) status.textContent = 'Live: waiting for new records.'; });
    source.addEventListener('record', ev => {
      const record = JSON.parse(ev.data);
      if (shown === 0) rows.replaceChildren();
      rows.prepend(row(record));
      shown++;
      while (rows.children.length > MAX_ROWS) rows.lastChild.remove();
      status.textContent = `Live: ${shown} record${shown === 1 ? '' : 's'} received${shown > MAX_ROWS ? ` (newest ${MAX_ROWS} shown)` : ''}.`;
    });
    source.addEventListener('error', () => { if (source) status.textContent = 'Live: connection lost, reconnecting…'; });
  }

  function stopTail() {
    if (!source) return;
    source.close();
    source = null;
    live.setAttribute('aria-pressed', 'false');
    live.classList.remove('on');
    status.textContent = `Stopped. ${shown} record${shown === 1 ? '' : 's'} received.`;
  }

  live.addEventListener('click', () => (source ? stopTail() : startTail()));

  render(root,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/topics' }, 'Topics'), ' / '),
    h('header', { class: 'view-head' }, h('h1', {}, name)),
    problem,
    summary,
    h('section', { class: 'panel', 'aria-labelledby': 'records-h' },
      h('h2', { id: 'records-h' }, 'Records'),
      h('form', { class: 'toolbar', id: 'browse', onsubmit: read }, from, offset, time, partition, limit, load, live),
      status,
      h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table records', id: 'records-table' },
        h('thead', {}, h('tr', {}, ['Partition', 'Offset', 'Timestamp', 'Key', 'Value', 'Headers'].map((c, i) => h('th', { scope: 'col', class: i < 2 ? 'num' : null }, c)))),
        rows))));

  (async () => {
    try {
      const t = await getJson(`/api/console/topics/${enc}`);
      for (const p of t.partitions) partition.append(h('option', { value: String(p.partition) }, `Partition ${p.partition}`));
      render(summary,
        h('dl', { class: 'facts' },
          fact('Partitions', fmtNumber(t.partitions.length)),
          fact('Records', fmtNumber(t.partitions.reduce((n, p) => n + (p.endOffset - p.startOffset), 0))),
          fact('Size', t.partitions.some(p => p.size !== undefined) ? fmtBytes(t.partitions.reduce((n, p) => n + (p.size || 0), 0)) : '—'),
          fact('Streams and tables', t.sources.length ? t.sources.map(s => `${s.type} ${s.name} (${s.keyFormat} key, ${s.valueFormat} value)`).join('; ') : 'none — records are shown as JSON, text or hex'),
          fact('Consumer groups', t.groups.length ? t.groups.map(g => `${g.group} (lag ${fmtNumber(g.lag)})`).join('; ') : 'none')),
        h('details', { class: 'panel' }, h('summary', {}, 'Partitions and configuration'),
          h('div', { class: 'two-col' },
            h('table', { class: 'grid-table' },
              h('thead', {}, h('tr', {}, ['Partition', 'Start offset', 'End offset', 'Size'].map(c => h('th', { scope: 'col', class: 'num' }, c)))),
              h('tbody', {}, t.partitions.map(p => h('tr', {}, h('td', { class: 'num' }, p.partition), h('td', { class: 'num' }, fmtNumber(p.startOffset)), h('td', { class: 'num' }, fmtNumber(p.endOffset)), h('td', { class: 'num' }, p.size === undefined ? '—' : fmtBytes(p.size)))))),
            h('table', { class: 'grid-table' },
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Config'), h('th', { scope: 'col' }, 'Value'))),
              h('tbody', {}, Object.keys(t.configs).length === 0 ? emptyRow(2, 'Broker defaults') : Object.entries(t.configs).map(([k, v]) => h('tr', {}, h('td', {}, h('code', {}, k)), h('td', {}, h('code', {}, v)))))))));
      await read();
    } catch (err) {
      render(problem, errorBox(err.message));
    }
  })();

  return () => { stopTail(); controller?.abort(); };
}

function fact(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function row(r) {
  return h('tr', {},
    h('td', { class: 'num' }, r.partition),
    h('td', { class: 'num' }, r.offset),
    h('td', { class: 'nowrap' }, h('time', { datetime: new Date(r.timestamp).toISOString(), title: `${r.timestamp} (${r.timestampType})` }, fmtTime(r.timestamp))),
    h('td', {}, payload(r.key)),
    h('td', {}, payload(r.value)),
    h('td', {}, r.headers.length === 0 ? h('span', { class: 'muted' }, '—') : h('ul', { class: 'headers' }, r.headers.map(x => h('li', {}, h('code', {}, x.key), ': ', x.value === null ? 'null' : String(x.value.data))))));
}

function payload(p) {
  if (p === null || p === undefined) return h('span', { class: 'muted' }, 'null');
  let text;
  if (p.window) text = `${compact(p.data)} [${fmtTime(p.window.start)} … ${fmtTime(p.window.end)}]`;
  else if (p.format === 'BYTES') text = `0x${p.data}${p.asInteger !== undefined ? ` (${p.asInteger})` : ''}`;
  else if (p.format === 'SCHEMA_REGISTRY') text = `schema ${p.schemaId}: 0x${p.data}`;
  else text = compact(p.data);
  const full = typeof p.data === 'object' && p.data !== null ? JSON.stringify(p.data, null, 2) : text;
  const cell = h('div', { class: 'payload' },
    h('span', { class: 'fmt', title: `${p.format}, ${p.size} bytes${p.note ? ` — ${p.note}` : ''}` }, p.format === 'SCHEMA_REGISTRY' ? 'SR' : p.format),
    text.length > 160
      ? h('details', {}, h('summary', {}, h('code', {}, `${text.slice(0, 160)}…`)), h('pre', {}, full))
      : h('code', {}, text));
  if (p.note) cell.append(h('div', { class: 'small warn-text' }, p.note));
  return cell;
}
