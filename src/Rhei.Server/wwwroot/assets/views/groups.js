// Consumer groups: committed offsets against partition ends; total lag per group, per-partition lag on demand.

import { h, render, getJson, every, fmtNumber, errorBox } from '../lib/dom.js';

export function mount(root) {
  const list = h('div', { class: 'groups' });
  const problem = h('div');
  const open = new Set();
  render(root,
    h('header', { class: 'view-head' }, h('h1', {}, 'Consumer groups'), h('p', { class: 'sub' }, 'Lag is the number of records between a group\'s committed offset and the end of the partition. Persistent queries are groups too.')),
    problem, list);

  let controller = null;
  const refresh = async () => {
    controller?.abort();
    controller = new AbortController();
    let groups;
    try {
      groups = (await getJson('/api/console/groups', controller.signal)).groups;
      render(problem);
    } catch (e) {
      if (e.name !== 'AbortError') render(problem, errorBox(`Could not list consumer groups: ${e.message}`));
      return;
    }
    if (groups.length === 0) {
      render(list, h('p', { class: 'muted' }, 'No consumer groups have committed offsets yet.'));
      return;
    }
    render(list, h('div', { class: 'table-wrap' }, h('table', { class: 'grid-table', id: 'groups-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Query'), h('th', { scope: 'col', class: 'num' }, 'Partitions'), h('th', { scope: 'col', class: 'num' }, 'Total lag'))),
      groups.map(g => {
        const expanded = open.has(g.group);
        const toggle = h('button', { class: 'disclosure', 'aria-expanded': String(expanded), type: 'button' }, g.group);
        toggle.addEventListener('click', () => { if (open.has(g.group)) open.delete(g.group); else open.add(g.group); refresh(); });
        const rows = [h('tr', { class: 'group-row' },
          h('th', { scope: 'row' }, toggle),
          h('td', {}, g.queryId ? h('code', {}, g.queryId) : '—'),
          h('td', { class: 'num' }, fmtNumber(g.partitions.length)),
          h('td', { class: `num ${g.lag > 0 ? 'warn-text' : ''}` }, fmtNumber(g.lag)))];
        if (expanded) {
          rows.push(h('tr', { class: 'detail-row' }, h('td', { colspan: 4 },
            h('table', { class: 'grid-table inner' },
              h('thead', {}, h('tr', {}, ['Topic', 'Partition', 'Committed', 'End', 'Lag'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
              h('tbody', {}, g.partitions.map(p => h('tr', {},
                h('td', {}, h('a', { href: `#/topics/${encodeURIComponent(p.topic)}` }, p.topic)),
                h('td', { class: 'num' }, p.partition),
                h('td', { class: 'num' }, fmtNumber(p.committed)),
                h('td', { class: 'num' }, p.end < 0 ? '—' : fmtNumber(p.end)),
                h('td', { class: 'num' }, lagBar(p.lag, p.end)))))))));
        }
        return h('tbody', {}, rows);
      }))));
  };
  const stop = every(5000, refresh);
  return () => { stop(); controller?.abort(); };
}

function lagBar(lag, end) {
  if (lag < 0) return '—';
  const ratio = end > 0 ? Math.min(1, lag / end) : 0;
  const bar = h('meter', { min: '0', max: '1', value: String(ratio), 'aria-hidden': 'true', class: 'lag-meter' });
  return h('span', { class: 'lag' }, bar, fmtNumber(lag));
}
