// A small SVG line chart for time series sampled at a fixed interval: a line and a soft area per series, a y axis with
// "nice" ticks, a time axis relative to now, and a hover/keyboard readout. Redraws whole on every update (300 points).

import { h, s } from './dom.js';

function niceMax(value) {
  if (value <= 0) return 1;
  const exponent = Math.floor(Math.log10(value));
  const base = 10 ** exponent;
  for (const m of [1, 2, 2.5, 5, 10]) if (value <= m * base) return m * base;
  return 10 * base;
}

/**
 * Creates a chart. series: [{ name, className, format }]. Returns { element, update(values[][], intervalMs) }.
 * The element is a <figure> with the SVG (role=img, with a text summary) and a legend.
 */
export function lineChart({ title, series, format, height: initialHeight = 180 }) {
  // The viewBox follows the drawn size (ResizeObserver), so text and lines are never stretched.
  let width = 720;
  let height = initialHeight;
  const pad = { left: 64, right: 12, top: 12, bottom: 24 };
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', tabindex: '0', preserveAspectRatio: 'none' });
  const readout = h('div', { class: 'chart-readout', 'aria-live': 'polite' });
  const legend = h('ul', { class: 'legend' }, series.map(sr => h('li', { class: sr.className }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), sr.name)));
  const figure = h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg, h('div', { class: 'chart-foot' }, legend, readout));
  let last = { values: series.map(() => []), intervalMs: 1000 };
  let hoverIndex = -1;

  function draw() {
    const { values, intervalMs } = last;
    const n = Math.max(...values.map(v => v.length), 0);
    const max = niceMax(Math.max(0, ...values.flat()) * 1.1);
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const capacity = 300;
    const x = i => pad.left + plotW * ((capacity - n + i) / (capacity - 1));
    const y = v => pad.top + plotH * (1 - v / max);
    const children = [];
    for (let t = 0; t <= 4; t++) {
      const v = (max / 4) * t;
      children.push(s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' }));
      children.push(s('text', { x: pad.left - 8, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, format(v)));
    }
    for (const [label, i] of [['−5 min', 0], ['−4', 60], ['−3', 120], ['−2', 180], ['−1', 240], ['now', 299]]) {
      const px = pad.left + plotW * (i / (capacity - 1));
      children.push(s('text', { x: px, y: height - 6, class: 'axis', 'text-anchor': i === 0 ? 'start' : i === 299 ? 'end' : 'middle' }, label));
    }
    values.forEach((data, k) => {
      if (data.length < 2) return;
      const points = data.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      children.push(s('path', { d: `M${x(0).toFixed(1)},${y(0)} L${points.join(' L')} L${x(data.length - 1).toFixed(1)},${y(0)} Z`, class: `area ${series[k].className}` }));
      children.push(s('path', { d: `M${points.join(' L')}`, class: `line ${series[k].className}` }));
    });
    if (hoverIndex >= 0 && hoverIndex < n) {
      children.push(s('line', { x1: x(hoverIndex), x2: x(hoverIndex), y1: pad.top, y2: pad.top + plotH, class: 'cursor' }));
    }
    svg.replaceChildren(...children);
    const at = hoverIndex >= 0 && hoverIndex < n ? hoverIndex : n - 1;
    const ago = Math.round(((n - 1 - at) * intervalMs) / 1000);
    const text = at < 0 ? 'No samples yet.' : `${ago === 0 ? 'Now' : `${ago}s ago`}: ` + series.map((sr, k) => `${sr.name} ${format(values[k][at] ?? 0)}`).join(' · ');
    readout.textContent = text;
    svg.setAttribute('aria-label', `${title}. ${text}`);
  }

  function indexAt(clientX) {
    const rect = svg.getBoundingClientRect();
    const plotLeft = rect.left + (pad.left / width) * rect.width;
    const plotWidth = ((width - pad.left - pad.right) / width) * rect.width;
    const n = Math.max(...last.values.map(v => v.length), 0);
    const slot = Math.round(((clientX - plotLeft) / plotWidth) * 299);
    return Math.max(0, Math.min(n - 1, slot - (300 - n)));
  }

  svg.addEventListener('pointermove', e => { hoverIndex = indexAt(e.clientX); draw(); });
  svg.addEventListener('pointerleave', () => { hoverIndex = -1; draw(); });
  svg.addEventListener('keydown', e => {
    const n = Math.max(...last.values.map(v => v.length), 0);
    if (e.key === 'ArrowLeft') { hoverIndex = Math.max(0, (hoverIndex < 0 ? n - 1 : hoverIndex) - 1); draw(); e.preventDefault(); }
    if (e.key === 'ArrowRight') { hoverIndex = hoverIndex < 0 ? -1 : Math.min(n - 1, hoverIndex + 1); draw(); e.preventDefault(); }
    if (e.key === 'Escape') { hoverIndex = -1; draw(); }
  });
  svg.addEventListener('blur', () => { hoverIndex = -1; draw(); });
  new ResizeObserver(() => {
    const w = Math.round(svg.clientWidth);
    const ht = Math.round(svg.clientHeight);
    if (w > 0 && ht > 0 && (w !== width || ht !== height)) {
      width = w;
      height = ht;
      svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
      draw();
    }
  }).observe(svg);

  return {
    element: figure,
    update(values, intervalMs = 1000) { last = { values, intervalMs }; draw(); },
  };
}
