// Topics: every topic with partitions, size, records and current rates; filter by name; internal topics on demand.

import { h, render, getJson, every, fmtBytes, fmtByteRate, fmtRate, fmtNumber, errorBox, emptyRow } from '../lib/dom.js';

export function mount(root) {
  const body = h('tbody');
  const problem = h('div');
  const filter = h('input', { type: 'search', id: 'topic-filter', placeholder: 'Filter topics', 'aria-label': 'Filter topics by name', autocomplete: 'off' });
  const showInternal = h('input', { type: 'checkbox', id: 'show-internal' });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  let topics = [];

  const draw = () => {
    const text = filter.value.trim().toLowerCase();
    const shown = topics.filter(t => (showInternal.checked || !t.internal) && t.name.toLowerCase().includes(text));
    count.textContent = `${shown.length} of ${topics.length} topics`;
    render(body, shown.length === 0
      ? emptyRow(8, topics.length === 0 ? 'No topics yet. Produce to one with any Kafka client, or CREATE STREAM … WITH (kafka_topic=…, partitions=…).' : 'No topic matches the filter.')
      : shown.map(t => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/topics/${encodeURIComponent(t.name)}` }, t.name), t.internal ? h('span', { class: 'tag' }, 'internal') : null),
        h('td', { class: 'num' }, fmtNumber(t.partitions)),
        h('td', { class: 'num' }, t.size === undefined ? '—' : fmtBytes(t.size)),
        h('td', { class: 'num' }, fmtNumber(t.records)),
        h('td', { class: 'num' }, fmtRate(t.recordsPerSecond)),
        h('td', { class: 'num' }, fmtByteRate(t.bytesInPerSecond)),
        h('td', { class: 'num' }, fmtByteRate(t.bytesOutPerSecond)),
        h('td', {}, t.sources.map(s => h('span', { class: 'tag', title: `${s.keyFormat} key, ${s.valueFormat} value` }, `${s.type} ${s.name}`))))));
  };
  filter.addEventListener('input', draw);

  let controller = null;
  const refresh = async () => {
    controller?.abort();
    controller = new AbortController();
    try {
      topics = (await getJson(`/api/console/topics${showInternal.checked ? '?internal=true' : ''}`, controller.signal)).topics;
      render(problem);
      draw();
    } catch (e) {
      if (e.name !== 'AbortError') render(problem, errorBox(`Could not list topics: ${e.message}`));
    }
  };
  showInternal.addEventListener('change', refresh);

  render(root,
    h('header', { class: 'view-head' }, h('h1', {}, 'Topics'), h('p', { class: 'sub' }, 'Partitions, size and current rates. Select a topic to browse its records.')),
    h('div', { class: 'toolbar' }, filter, h('label', { class: 'check' }, showInternal, ' Show internal topics'), count),
    problem,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table', id: 'topics-table' },
      h('thead', {}, h('tr', {}, ['Topic', 'Partitions', 'Size', 'Records', 'Records in', 'Bytes in', 'Bytes out', 'Streams and tables'].map((c, i) => h('th', { scope: 'col', class: i >= 1 && i <= 6 ? 'num' : null }, c)))),
      body)));
  const stop = every(5000, refresh);
  return () => { stop(); controller?.abort(); };
}
