// One sampling run at a time for the whole window: opens the target, runs a session of the lazily
// loaded core, writes to the `Fn Mesh: Sampling` output, keeps the status bar item and feeds the
// chart. Rollout steps use it too (`sampleWindow`), so their samples show in the same panel.
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import type { RoutingService } from '../../routing/ui/routingService';
import type { SamplerSnapshot } from '../samplerStats';
import type { SamplingSession } from '../samplingSession';
import { followRouteWeights } from './routeWeights';
import { samplingCore } from './samplingCore';
import { readSamplingSettings, samplingLimits } from './samplingSettings';
import { resolveSamplingTarget, type SamplingTarget } from './samplingTarget';

/** Lines of the panel kept in memory for `recentText` (the extension-host tests read them). */
const keptLines = 400;

export interface SamplingRunInfo {
  readonly app: string;
  readonly namespace: string;
  readonly target: string;
}

export type StartOutcome = { readonly kind: 'started'; readonly info: SamplingRunInfo } | { readonly kind: 'notExposed'; readonly reason: string };

interface Run {
  readonly info: SamplingRunInfo;
  readonly session: SamplingSession;
  readonly target: SamplingTarget;
}

export class SamplingController implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Fn Mesh: Sampling');
  private readonly status = vscode.window.createStatusBarItem('fnMesh.sampling', vscode.StatusBarAlignment.Left, 40);
  private readonly snapshots = new vscode.EventEmitter<{ readonly app: string; readonly snapshot: SamplerSnapshot; readonly verdict: string }>();
  /** Every summary of the running session (about once a second). */
  readonly onDidSnapshot = this.snapshots.event;
  private readonly ended = new vscode.EventEmitter<string>();
  /** A run ended (stopped, its duration reached, or failed): the app it sampled. */
  readonly onDidEnd = this.ended.event;
  private readonly lines: string[] = [];
  private run: Run | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly routing: RoutingService,
    private readonly kube: KubeConnectionService,
  ) {
    this.status.name = 'Fn Mesh Sampling';
    this.status.command = 'fnMesh.sampling.statusActions';
  }

  get running(): SamplingRunInfo | undefined {
    return this.run?.info;
  }

  /** The last lines written to the panel (at most 400), joined by newlines. */
  recentText(): string {
    return this.lines.join('\n');
  }

  /**
   * Starts sampling `view` until stopped (or for `durationMs`). A run in progress is stopped first.
   * Resolves once requests are being sent, or with `notExposed` (nothing sent) when the app is on no Gateway.
   * @throws UserError for bad settings, no cluster, or a gateway that cannot be reached.
   */
  async start(view: RoutedAppView, options: { readonly durationMs?: number } = {}): Promise<StartOutcome> {
    await this.stop();
    const settings = readSamplingSettings();
    const state = await this.kube.state();
    const { resources } = await this.routing.resolve();
    if (state.kind !== 'connected' && !settings.targetUrl) {
      throw new UserError(`no Kubernetes cluster: ${state.message}`);
    }
    const core = await samplingCore();
    let attribution;
    try {
      attribution = core.makeAttribution(settings.versionHeader, settings.bodyPattern);
    } catch (err) {
      throw new UserError(`setting fnMesh.sampling: ${(err as Error).message}`);
    }
    const resolved = await resolveSamplingTarget(view, {
      resources,
      config: state.kind === 'connected' ? state.config : undefined,
      overrideUrl: settings.targetUrl,
      log: { warn: (m) => this.log.warn(`sampling tunnel: ${m}`) },
    });
    if (resolved.kind === 'notExposed') {
      return resolved;
    }
    const target = resolved.target;
    const info: SamplingRunInfo = { app: view.appName, namespace: view.namespace, target: target.description };
    this.write(`\n=== Sampling ${view.namespace}/${view.appName}: ${target.description}, ${settings.ratePerSecond}/s, ${settings.concurrency} in flight`);
    let session: SamplingSession;
    try {
      session = core.startSampling({
        load: {
          url: target.url,
          path: settings.path,
          host: target.host,
          ratePerSecond: settings.ratePerSecond,
          concurrency: settings.concurrency,
          timeoutMs: settings.timeoutMs,
          attribution,
          limits: samplingLimits,
          ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
        },
        weights: followRouteWeights(this.routing, view),
        stats: { fit: { tolerancePoints: settings.tolerancePoints }, settleMs: settings.settleMs },
        linesPerSecond: settings.linesPerSecond,
        onText: (text) => this.write(text),
        onSnapshot: (snapshot) => this.onSnapshot(info, snapshot, core.verdictText(snapshot.verdict)),
      });
    } catch (err) {
      await target.close();
      throw err;
    }
    const run: Run = { info, session, target };
    this.run = run;
    void session.done
      .then(
        (result) => this.write(core.formatRunEnd(view.appName, result)),
        (err: unknown) => {
          this.write(`=== Sampling of ${view.appName} failed: ${(err as Error).message}`);
          void vscode.window.showErrorMessage(`Fn Mesh: sampling ${view.appName} failed: ${(err as Error).message}`);
        },
      )
      .finally(() => this.finish(run));
    this.status.text = `$(pulse) ${view.appName}: starting`;
    this.status.tooltip = `Sampling ${target.description}`;
    this.status.show();
    void vscode.commands.executeCommand('setContext', 'fnMesh.samplingActive', true);
    return { kind: 'started', info };
  }

  /** Samples for `durationMs` (or until `signal`) and returns the last summary. */
  async sampleWindow(view: RoutedAppView, durationMs: number, signal: AbortSignal): Promise<SamplerSnapshot> {
    const outcome = await this.start(view, { durationMs });
    if (outcome.kind === 'notExposed') {
      throw new UserError(`${view.appName} cannot be sampled: ${outcome.reason}`);
    }
    const run = this.run;
    if (!run) {
      throw new UserError('sampling stopped before it began');
    }
    const abort = (): void => void run.session.stop();
    signal.addEventListener('abort', abort);
    try {
      await run.session.done.catch(() => undefined);
    } finally {
      signal.removeEventListener('abort', abort);
    }
    return run.session.stats.snapshot();
  }

  /** Stops the run in progress (if any) and waits for its final summary. */
  async stop(): Promise<void> {
    const run = this.run;
    if (run) {
      await run.session.stop().catch(() => undefined);
      await this.finish(run);
    }
  }

  show(): void {
    this.output.show(true);
  }

  dispose(): void {
    void this.stop();
    this.output.dispose();
    this.status.dispose();
    this.snapshots.dispose();
    this.ended.dispose();
  }

  private onSnapshot(info: SamplingRunInfo, snapshot: SamplerSnapshot, verdictText: string): void {
    const verdict = snapshot.verdict.kind === 'not-enough' ? `${snapshot.verdict.more} more needed` : snapshot.verdict.kind === 'consistent' ? 'consistent' : 'not consistent';
    const counts = snapshot.rows.map((r) => `${r.version} ${r.count}`).join(' · ');
    this.status.text = `$(pulse) ${info.app}: ${readSamplingSettings().ratePerSecond}/s · ${counts} · ${verdict}`;
    this.snapshots.fire({ app: info.app, snapshot, verdict: verdictText });
  }

  private async finish(run: Run): Promise<void> {
    if (this.run !== run) {
      return;
    }
    this.run = undefined;
    this.ended.fire(run.info.app);
    this.status.hide();
    void vscode.commands.executeCommand('setContext', 'fnMesh.samplingActive', false);
    await run.target.close().catch(() => undefined);
  }

  private write(text: string): void {
    this.output.appendLine(text);
    this.lines.push(...text.split('\n'));
    if (this.lines.length > keptLines) {
      this.lines.splice(0, this.lines.length - keptLines);
    }
  }
}
