import type { UsageDay } from './api.js';
import { svg } from './dom.js';
import { shortDate } from './format.js';

export const SERIES = [
  { key: 'verify', label: 'Verify', className: 'bar-verify' },
  { key: 'analyze', label: 'Analyze', className: 'bar-analyze' },
  { key: 'lookalike', label: 'Look-alike', className: 'bar-lookalike' },
] as const;

/** Requests per day, stacked by endpoint: a responsive SVG (viewBox), described for assistive technology. */
export function usageChart(days: UsageDay[]): SVGElement {
  const width = 720;
  const height = 240;
  const pad = { top: 12, right: 8, bottom: 28, left: 36 };
  const max = Math.max(4, ...days.map((d) => d.requests));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / days.length;
  const barW = Math.max(2, slot * 0.68);
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const total = days.reduce((n, d) => n + d.requests, 0);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-label': `Requests per day over the last ${days.length} days: ${total} in total.`,
  });
  for (let v = 0; v <= top; v += step) {
    chart.append(
      svg('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid-line' }),
      svg('text', { x: pad.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(v)),
    );
  }
  const labelEvery = Math.ceil(days.length / 8);
  days.forEach((day, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const series of SERIES) {
      const value = day.by_endpoint[series.key];
      if (value > 0) {
        const rect = svg('rect', {
          x,
          y: y(base + value),
          width: barW,
          height: y(base) - y(base + value),
          class: series.className,
          rx: 2,
        });
        rect.append(svg('title', {}, `${shortDate(day.date)}: ${value} ${series.label.toLowerCase()}`));
        chart.append(rect);
      }
      base += value;
    }
    if ((days.length - 1 - i) % labelEvery === 0) {
      chart.append(
        svg(
          'text',
          { x: x + barW / 2, y: height - 8, class: 'axis', 'text-anchor': 'middle' },
          shortDate(day.date),
        ),
      );
    }
  });
  return chart;
}

function niceStep(max: number): number {
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
}
