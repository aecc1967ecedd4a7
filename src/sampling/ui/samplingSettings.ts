// The fnMesh.sampling.* settings, read once per run and clamped to the maxima package.json
// documents (a hand-edited settings.json can hold anything).
import * as vscode from 'vscode';
import { restrictedString } from '../../common/vscode/settings';

export const samplingLimits = { maxRatePerSecond: 2000, maxConcurrency: 64 } as const;

export interface SamplingSettings {
  readonly ratePerSecond: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly linesPerSecond: number;
  readonly versionHeader: string;
  readonly bodyPattern: string;
  readonly tolerancePoints: number;
  /** After a weight change, how long the mesh is given to apply it before the verdict window opens. */
  readonly settleMs: number;
  /** Empty: the Istio ingress gateway through a port-forward. */
  readonly targetUrl: string;
  readonly path: string;
}

function clamp(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  return Math.min(max, Math.max(min, n));
}

export function readSamplingSettings(): SamplingSettings {
  const cfg = vscode.workspace.getConfiguration('fnMesh.sampling');
  return {
    ratePerSecond: clamp(cfg.get('ratePerSecond'), 20, 0.1, samplingLimits.maxRatePerSecond),
    concurrency: Math.floor(clamp(cfg.get('concurrency'), 4, 1, samplingLimits.maxConcurrency)),
    timeoutMs: clamp(cfg.get('timeoutSeconds'), 10, 0.1, 300) * 1000,
    linesPerSecond: Math.floor(clamp(cfg.get('linesPerSecond'), 20, 0, 1000)),
    versionHeader: cfg.get<string>('versionHeader') || 'X-Fn-Mesh-Version',
    bodyPattern: cfg.get<string>('bodyPattern') ?? '',
    tolerancePoints: clamp(cfg.get('tolerancePoints'), 5, 0.5, 50),
    settleMs: clamp(cfg.get('settleSeconds'), 3, 0, 60) * 1000,
    targetUrl: restrictedString(cfg, 'targetUrl') ?? '',
    path: cfg.get<string>('path') || '/',
  };
}
