// Sampling chart webview: the share of each version over time against its configured weight, and
// latency percentiles per version. Data arrives by postMessage about once a second; this script
// keeps at most `maxPoints` points. Bundled with uPlot by esbuild (dist/samplingChart.js).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './samplingChart.css';

const maxPoints = 600;
const palette = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const css = (name, fallback) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
const colour = (i) => css(palette[i % palette.length], '#888');

/** @type {{ t: number[], versions: string[], share: Record<string, number[]>, weight: Record<string, number[]>, p95: Record<string, number[]>, p99: Record<string, number[]> }} */
let data = { t: [], versions: [], share: {}, weight: {}, p95: {}, p99: {} };
let shareChart;
let latencyChart;

function axes(label) {
  const stroke = css('--vscode-foreground', '#ccc');
  const grid = { stroke: css('--vscode-editorWidget-border', '#444'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, label, size: 60 },
  ];
}

function size() {
  return { width: Math.max(300, document.body.clientWidth - 24), height: 220 };
}

function build() {
  shareChart?.destroy();
  latencyChart?.destroy();
  const shareSeries = [{}];
  const latencySeries = [{}];
  data.versions.forEach((v, i) => {
    shareSeries.push({ label: `${v} share %`, stroke: colour(i), width: 2 });
    shareSeries.push({ label: `${v} weight %`, stroke: colour(i), width: 1, dash: [6, 4] });
    latencySeries.push({ label: `${v} p95 ms`, stroke: colour(i), width: 2 });
    latencySeries.push({ label: `${v} p99 ms`, stroke: colour(i), width: 1, dash: [2, 3] });
  });
  shareChart = new uPlot({ ...size(), series: shareSeries, axes: axes('%'), scales: { y: { range: [0, 100] } } }, columns('share', 'weight'), document.getElementById('share'));
  latencyChart = new uPlot({ ...size(), series: latencySeries, axes: axes('ms') }, columns('p95', 'p99'), document.getElementById('latency'));
}

function columns(a, b) {
  return [data.t, ...data.versions.flatMap((v) => [data[a][v], data[b][v]])];
}

function add(message) {
  const versions = message.rows.map((r) => r.version);
  if (message.reset || versions.join('\n') !== data.versions.join('\n')) {
    data = { t: [], versions, share: {}, weight: {}, p95: {}, p99: {} };
    for (const v of versions) {
      data.share[v] = [];
      data.weight[v] = [];
      data.p95[v] = [];
      data.p99[v] = [];
    }
    build();
  }
  data.t.push(message.t / 1000);
  for (const r of message.rows) {
    data.share[r.version].push(r.share);
    data.weight[r.version].push(r.weight ?? null);
    data.p95[r.version].push(r.p95);
    data.p99[r.version].push(r.p99);
  }
  if (data.t.length > maxPoints) {
    data.t.shift();
    for (const v of data.versions) {
      for (const key of ['share', 'weight', 'p95', 'p99']) {
        data[key][v].shift();
      }
    }
  }
  shareChart.setData(columns('share', 'weight'));
  latencyChart.setData(columns('p95', 'p99'));
  const verdict = document.getElementById('verdict');
  verdict.textContent = `${message.app}: ${message.verdict}`;
  verdict.className = message.verdictKind;
}

window.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'snapshot') {
    add(event.data);
  } else if (event.data && event.data.type === 'ended') {
    // The figures stay, marked as the last ones of a run that is over.
    const verdict = document.getElementById('verdict');
    verdict.textContent = `${event.data.app}: sampling ended; last verdict: ${verdict.textContent.replace(/^[^:]*: /, '')}`;
    verdict.className = 'ended';
  }
});
window.addEventListener('resize', () => {
  shareChart?.setSize(size());
  latencyChart?.setSize(size());
});
build();
// VS Code changes the body's class when the colour theme changes: redraw with the new colours.
new MutationObserver(() => build()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
