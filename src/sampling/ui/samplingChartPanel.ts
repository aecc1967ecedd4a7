// The live chart beside the Sampling panel: a webview running dist/samplingChart.js (uPlot,
// bundled, no CDN) under a strict content security policy with a nonce. It receives one message
// per summary (at most one a second) and keeps its own bounded history.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { SamplerSnapshot } from '../samplerStats';

/** What the webview receives (see media/samplingChart.js). */
export interface ChartMessage {
  readonly type: 'snapshot';
  readonly app: string;
  /** Epoch ms. */
  readonly t: number;
  readonly verdict: string;
  readonly verdictKind: string;
  /** `share` is null while the verdict window holds no attributed answer (just opened, or waiting after a weight change): a gap, not 0%. */
  readonly rows: readonly { version: string; share: number | null; weight: number | null; p95: number; p99: number }[];
}

export function chartMessage(app: string, snapshot: SamplerSnapshot, now: number, verdict: string): ChartMessage {
  const answered = snapshot.rows.some((r) => r.share > 0);
  return {
    type: 'snapshot',
    app,
    t: now,
    verdict,
    verdictKind: snapshot.verdict.kind,
    rows: snapshot.rows.map((r) => ({ version: r.version, share: answered ? r.share : null, weight: r.weight ?? null, p95: r.latency.p95, p99: r.latency.p99 })),
  };
}

export class SamplingChartPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private lastPost = 0;

  constructor(private readonly extensionUri: vscode.Uri) {}

  get visible(): boolean {
    return this.panel !== undefined;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('fnMesh.samplingChart', 'Fn Mesh: Sampling Chart', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    const nonce = randomBytes(16).toString('base64');
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'samplingChart.js'));
    const style = panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'samplingChart.css'));
    const csp = `default-src 'none'; img-src ${panel.webview.cspSource} data:; style-src ${panel.webview.cspSource}; script-src 'nonce-${nonce}';`;
    panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Fn Mesh: Sampling Chart</title></head>
<body>
<div id="verdict">Waiting for samples…</div>
<h2>Share of each version (solid) against its configured weight (dashed), %</h2><div id="share"></div>
<h2>Latency p95 (solid) and p99 (dotted) per version, ms</h2><div id="latency"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body></html>`;
    panel.onDidDispose(() => (this.panel = undefined));
    this.panel = panel;
  }

  /** Posts a summary to the chart, at most once a second. */
  post(app: string, snapshot: SamplerSnapshot, verdict: string): void {
    const now = Date.now();
    if (!this.panel || now - this.lastPost < 950) {
      return;
    }
    this.lastPost = now;
    void this.panel.webview.postMessage(chartMessage(app, snapshot, now, verdict));
  }

  /** Tells the chart that sampling `app` ended: its last figures stay, marked as no longer live. */
  ended(app: string): void {
    void this.panel?.webview.postMessage({ type: 'ended', app });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
