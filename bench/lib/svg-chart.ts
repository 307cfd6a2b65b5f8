// A small line chart as SVG text, built by hand (no plotting dependency): x on a log10 axis (loads grow by
// tens), y on a log10 axis (times span minutes to hours), one polyline per series, a legend.
export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: { name: string; values: number[] }[];
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function lineChart(spec: ChartSpec): string {
  const W = 760;
  const H = 440;
  const m = { l: 70, r: 40, t: 40, b: 120 };
  const values = spec.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && v > 0);
  const xs = spec.x;
  const lx = (v: number) => Math.log10(v);
  const [x0, x1] = [lx(Math.min(...xs)), lx(Math.max(...xs))];
  const y0 = Math.floor(Math.log10(Math.min(...values, 1)));
  const y1 = Math.ceil(Math.log10(Math.max(...values, 10)));
  const px = (v: number) => m.l + ((lx(v) - x0) / Math.max(1e-9, x1 - x0)) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((Math.log10(v) - y0) / Math.max(1e-9, y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(spec.title)}</text>`,
  ];
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    parts.push(`<line x1="${m.l}" y1="${y}" x2="${W - m.r}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">${10 ** e}</text>`);
  }
  for (const v of xs) {
    const x = px(v);
    parts.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${H - m.b + 16}" text-anchor="middle">${v.toLocaleString('en-US')}</text>`);
  }
  parts.push(`<text x="${W / 2}" y="${H - m.b + 34}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(16 ${(H - m.b + m.t) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)} (log)</text>`,
  );
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const points = s.values
      .map((v, j) => (Number.isFinite(v) && v > 0 ? `${px(xs[j]!)},${py(v)}` : ''))
      .filter(Boolean);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const p of points) {
      const [cx, cy] = p.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    const ly = H - m.b + 52 + i * 16;
    parts.push(
      `<line x1="${m.l}" y1="${ly - 4}" x2="${m.l + 24}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${m.l + 30}" y="${ly}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
