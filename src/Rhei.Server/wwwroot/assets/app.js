// The Rhei console: a hash-routed single page. Each view mounts into <main> and returns a cleanup function that stops
// its timers, streams and requests when the person navigates away.

import { h, render, getJson, fmtDuration } from './lib/dom.js';
import * as overview from './views/overview.js';
import * as topics from './views/topics.js';
import * as topic from './views/topic.js';
import * as groups from './views/groups.js';
import * as sql from './views/sql.js';

const routes = [
  { pattern: /^#?\/?$/, view: overview, nav: 'overview', title: 'Overview' },
  { pattern: /^#\/topics\/?$/, view: topics, nav: 'topics', title: 'Topics' },
  { pattern: /^#\/topics\/(.+)$/, view: topic, nav: 'topics', title: 'Topic' },
  { pattern: /^#\/groups\/?$/, view: groups, nav: 'groups', title: 'Consumer groups' },
  { pattern: /^#\/sql\/?$/, view: sql, nav: 'sql', title: 'SQL editor' },
];

const main = document.getElementById('main');
let cleanup = null;

function route() {
  if (cleanup) { try { cleanup(); } catch (e) { console.warn(e); } cleanup = null; }
  const hash = location.hash || '#/';
  const match = routes.map(r => ({ r, m: hash.match(r.pattern) })).find(x => x.m);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (match && a.dataset.nav === match.r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!match) {
    render(main, h('section', { class: 'view' }, h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the overview'), '.')));
    return;
  }
  const params = match.m.slice(1).map(decodeURIComponent);
  document.title = `${match.r.title === 'Topic' ? params[0] : match.r.title} · Rhei`;
  const container = h('section', { class: 'view', 'data-view': match.r.nav });
  render(main, container);
  cleanup = match.r.view.mount(container, ...params) || null;
}

async function serverInfo() {
  const el = document.getElementById('server-info');
  try {
    const info = await getJson('/api/console/overview');
    const up = info.server.nowMs - info.server.startedMs;
    render(el, h('span', { title: `Kafka cluster id ${info.server.kafkaClusterId || '—'}` }, `Rhei ${info.server.version}`), ' · ',
      h('span', {}, `service ${info.server.serviceId}`), ' · ', h('span', {}, `up ${fmtDuration(up)}`));
  } catch {
    render(el, h('span', { class: 'offline' }, 'server unreachable'));
  }
}

window.addEventListener('hashchange', () => { route(); main.focus({ preventScroll: true }); });
route();
serverInfo();
setInterval(serverInfo, 30000);
