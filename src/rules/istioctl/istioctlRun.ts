// Finds and runs istioctl (Node only, no VS Code): `analyze` on files (offline, or against the
// connected cluster) and `validate` on one file. Where the binary is: the given path, then
// FN_MESH_ISTIOCTL, then PATH.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findOnPath } from '../../common/executables';
import type { AnalyzeOutput, IstioFinding } from './istioctlOutput';
import { parseAnalyzeOutput, parseValidateText } from './istioctlOutput';

/**
 * The istioctl to run, or undefined when there is none: `configured` (the setting), then
 * `FN_MESH_ISTIOCTL`, each only if it is an executable file; then `istioctl` on PATH.
 */
export function findIstioctl(configured?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const candidate of [configured, env.FN_MESH_ISTIOCTL]) {
    if (candidate && isExecutableFile(candidate)) {
      return candidate;
    }
  }
  return findOnPath('istioctl', env);
}

function isExecutableFile(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `binary args` (no shell); resolves with its exit code and output; rejects only if it cannot start or times out. */
export function run(binary: string, args: readonly string[], timeoutMs = 120_000, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: env ?? process.env }, (err, stdout, stderr) => {
      if (err && (typeof err.code !== 'number' || err.killed)) {
        reject(new Error(err.killed ? `${path.basename(binary)} ${args[0]} took longer than ${timeoutMs / 1000} s` : `cannot run ${binary}: ${err.message}`));
        return;
      }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}

export interface AnalyzeOptions {
  /** Analyze against this cluster too (kubeconfig files, as in KUBECONFIG); offline (`--use-kube=false`) when absent. */
  readonly kubeconfigFiles?: readonly string[];
  readonly context?: string;
  readonly timeoutMs?: number;
}

/**
 * `istioctl analyze -A -o json <files>`: its findings and the files it skipped (it cannot parse
 * them, and analyzes the others); throws with istioctl's words when it fails.
 */
export async function analyzeFiles(binary: string, files: readonly string[], options: AnalyzeOptions = {}): Promise<AnalyzeOutput> {
  const cluster = options.kubeconfigFiles && options.kubeconfigFiles.length > 0;
  const kube = cluster ? (options.context ? ['--context', options.context] : []) : ['--use-kube=false'];
  const env = cluster ? { ...process.env, KUBECONFIG: options.kubeconfigFiles?.join(path.delimiter) } : undefined;
  const result = await run(binary, ['analyze', ...kube, '-A', '-o', 'json', ...files], options.timeoutMs, env);
  // analyze exits 0 with -o json even when it finds errors; anything else is a failure to run.
  if (result.code !== 0 && result.stdout.trim() === '') {
    throw new Error(`istioctl analyze failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  return parseAnalyzeOutput(result.stdout, result.stderr);
}

/** `istioctl validate -f <file>`: the webhook's findings for one file (empty when valid). */
export async function validateFileWithIstioctl(binary: string, file: string, timeoutMs?: number): Promise<IstioFinding[]> {
  const result = await run(binary, ['validate', '-f', file], timeoutMs);
  return result.code === 0 ? [] : parseValidateText(`${result.stdout}\n${result.stderr}`);
}
