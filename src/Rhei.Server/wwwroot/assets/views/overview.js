// Overview: what the server is doing now — throughput charts, counts, persistent queries, connectors, busiest topics,
// consumer-group lag per partition.

import { h, render, getJson, every, fmtBytes, fmtByteRate, fmtRate, fmtNumber, badge, errorBox, emptyRow } from '../lib/dom.js';
import { lineChart } from '../lib/chart.js';

export function mount(root) {
  const bytesChart = lineChart({
    title: 'Throughput (bytes per second)',
    series: [{ name: 'In (produced)', className: 's-in' }, { name: 'Out (consumed)', className: 's-out' }],
    format: fmtByteRate,
  });
  const recordsChart = lineChart({
    title: 'Records in per second',
    series: [{ name: 'Records in', className: 's-rec' }],
    format: fmtRate,
    height: 120,
  });
  const stats = h('dl', { class: 'stats' });
  const problem = h('div');
  const queries = h('tbody');
  const connectors = h('div');
  const busiest = h('tbody');
  const lagRows = h('tbody');

  render(root,
    h('header', { class: 'view-head' }, h('h1', {}, 'Overview'), h('p', { class: 'sub' }, 'Broker throughput, persistent queries, connectors, topics and consumer lag. Updates every 2 seconds.')),
    problem,
    stats,
    h('div', { class: 'charts' }, bytesChart.element, recordsChart.element),
    h('section', { class: 'panel', 'aria-labelledby': 'queries-h' },
      h('h2', { id: 'queries-h' }, 'Persistent queries'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table', id: 'queries-table' },
        h('thead', {}, h('tr', {}, ['Query', 'State', 'Writes to', 'Reads from', 'In', 'Out', 'Lag', 'Errors'].map((c, i) => h('th', { scope: 'col', class: i >= 4 ? 'num' : null }, c)))),
        queries))),
    h('div', { class: 'two-col' },
      h('section', { class: 'panel', 'aria-labelledby': 'connectors-h' }, h('h2', { id: 'connectors-h' }, 'Connectors'), connectors),
      h('section', { class: 'panel', 'aria-labelledby': 'busiest-h' },
        h('h2', { id: 'busiest-h' }, 'Busiest topics'),
        h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table', id: 'busiest-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Topic'), ['Partitions', 'Size', 'Records in', 'Bytes in', 'Bytes out'].map(c => h('th', { scope: 'col', class: 'num' }, c)))),
          busiest)))),
    h('section', { class: 'panel', 'aria-labelledby': 'lag-h' },
      h('h2', { id: 'lag-h' }, 'Consumer groups'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table', id: 'lag-table' },
        h('thead', {}, h('tr', {}, ['Group', 'Topic', 'Partition', 'Committed', 'End', 'Lag'].map((c, i) => h('th', { scope: 'col', class: i >= 2 ? 'num' : null }, c)))),
        lagRows))));

  let controller = null;
  const refresh = async () => {
    controller?.abort();
    controller = new AbortController();
    let data, topicList, groupList;
    try {
      [data, topicList, groupList] = await Promise.all([
        getJson('/api/console/overview', controller.signal),
        getJson('/api/console/topics', controller.signal).catch(() => ({ topics: [] })),
        getJson('/api/console/groups', controller.signal).catch(() => ({ groups: [] })),
      ]);
      render(problem);
    } catch (e) {
      if (e.name === 'AbortError') return;
      render(problem, errorBox(`Could not load the overview: ${e.message}`));
      return;
    }
    const t = data.throughput;
    bytesChart.update([t.bytesIn, t.bytesOut], t.intervalMs);
    recordsChart.update([t.recordsIn], t.intervalMs);
    const last = a => (a.length ? a[a.length - 1] : 0);
    const totals = data.totals;
    render(stats,
      stat('In', fmtByteRate(last(t.bytesIn)), `${fmtRate(last(t.recordsIn))} records`),
      stat('Out', fmtByteRate(last(t.bytesOut)), 'read by consumers'),
      stat('Topics', fmtNumber(totals.topics), totals.partitions !== undefined ? `${fmtNumber(totals.partitions)} partitions · ${fmtBytes(totals.bytes)}` : ''),
      stat('Streams · tables', `${fmtNumber(totals.streams)} · ${fmtNumber(totals.tables)}`, `${fmtNumber(totals.queries)} persistent queries`),
      stat('Consumer lag', fmtNumber(totals.lag), `${fmtNumber(totals.groups)} groups`, '#/groups'));

    render(queries, data.queries.length === 0
      ? emptyRow(8, 'No persistent queries. Create one in the SQL editor, e.g. CREATE STREAM big AS SELECT * FROM s WHERE amount > 100;')
      : data.queries.map(q => h('tr', {},
        h('th', { scope: 'row' }, h('code', { title: q.statement }, q.id)),
        h('td', {}, badge(q.state), q.error ? h('div', { class: 'small error-text' }, q.error) : null),
        h('td', {}, q.sinkTopic ? h('a', { href: `#/topics/${encodeURIComponent(q.sinkTopic)}` }, q.sink) : q.sink),
        h('td', {}, q.sources.join(', ')),
        h('td', { class: 'num' }, fmtRate(q.inputRate)),
        h('td', { class: 'num' }, fmtRate(q.outputRate)),
        h('td', { class: 'num' }, q.lag === undefined ? '—' : fmtNumber(q.lag)),
        h('td', { class: `num ${q.errors > 0 ? 'error-text' : ''}` }, fmtNumber(q.errors)))));

    const c = data.connectors;
    render(connectors, !c.available
      ? h('p', { class: 'muted' }, 'Connectors are not available on this server. ', h('span', { class: 'small' }, c.message || ''))
      : c.items.length === 0
        ? h('p', { class: 'muted' }, 'No connectors. Create one with CREATE SOURCE CONNECTOR … WITH (\'connector.class\'=…).')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table' },
          h('thead', {}, h('tr', {}, ['Name', 'Type', 'Class', 'State'].map(x => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, c.items.map(x => h('tr', {}, h('th', { scope: 'row' }, x.name), h('td', {}, x.type), h('td', {}, h('code', {}, x.className)), h('td', {}, badge(x.state))))))));

    const top = [...topicList.topics].sort((a, b) => (b.bytesInPerSecond + b.bytesOutPerSecond) - (a.bytesInPerSecond + a.bytesOutPerSecond) || b.records - a.records).slice(0, 8);
    render(busiest, top.length === 0
      ? emptyRow(6, 'No topics yet.')
      : top.map(x => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/topics/${encodeURIComponent(x.name)}` }, x.name)),
        h('td', { class: 'num' }, fmtNumber(x.partitions)),
        h('td', { class: 'num' }, x.size === undefined ? '—' : fmtBytes(x.size)),
        h('td', { class: 'num' }, fmtRate(x.recordsPerSecond)),
        h('td', { class: 'num' }, fmtByteRate(x.bytesInPerSecond)),
        h('td', { class: 'num' }, fmtByteRate(x.bytesOutPerSecond)))));

    // Lag per partition, the partitions furthest behind first (at most 12 rows; the groups view has them all).
    const parts = groupList.groups.flatMap(g => g.partitions.map(p => ({ group: g.group, ...p })))
      .sort((a, b) => b.lag - a.lag || a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
    render(lagRows, parts.length === 0
      ? emptyRow(6, 'No consumer group has committed offsets yet.')
      : parts.slice(0, 12).map(p => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: '#/groups' }, p.group)),
        h('td', {}, h('a', { href: `#/topics/${encodeURIComponent(p.topic)}` }, p.topic)),
        h('td', { class: 'num' }, p.partition),
        h('td', { class: 'num' }, fmtNumber(p.committed)),
        h('td', { class: 'num' }, p.end < 0 ? '—' : fmtNumber(p.end)),
        h('td', { class: `num ${p.lag > 0 ? 'warn-text' : ''}` }, p.lag < 0 ? '—' : fmtNumber(p.lag)))));
  };
  const stop = every(2000, refresh);
  return () => { stop(); controller?.abort(); };
}

function stat(label, value, detail, href) {
  const body = [h('dt', {}, label), h('dd', { class: 'stat-value' }, value), detail ? h('dd', { class: 'stat-detail' }, detail) : null];
  return h('div', { class: 'stat' }, href ? h('a', { href, class: 'stat-link' }, body) : body);
}
