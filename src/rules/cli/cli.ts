// Command-line entry of the rule engine for CI (bundled as dist/cli.js):
//   node dist/cli.js check <file|folder>... [--format text|json|sarif] [--namespace ns] [--docs-url url]
// Exit code: 0 no problems (or information only), 1 warnings, 2 errors, 3 bad usage or unreadable path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSchemaStore } from '../schemaStore';
import { PathError, checkFiles, collectYamlFiles } from './checkPaths';
import type { OutputFormat } from './reportFormats';
import { exitCodeFor, formatJson, formatSarif, formatText } from './reportFormats';

const usage = `Usage: fn-mesh-rules check <file|folder>... [options]
Checks Istio and Gateway API rule files with Fn Mesh's rule engine.
Options:
  --format text|json|sarif   output format (default text)
  --namespace <ns>           namespace of documents that name none (default "default")
  --docs-url <url>           where docs/rules.md is published (SARIF help links)
Exit code: 0 no problem or information only, 1 warnings, 2 errors, 3 bad usage.
`;

interface Args {
  readonly paths: string[];
  readonly format: OutputFormat;
  readonly namespace?: string;
  readonly docsUrl?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'check') {
    throw new UsageError(command === undefined ? 'No command given' : `Unknown command: ${command}`);
  }
  const paths: string[] = [];
  let format: OutputFormat = 'text';
  let namespace: string | undefined;
  let docsUrl: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) {
        throw new UsageError(`${arg} needs a value`);
      }
      return v;
    };
    if (arg === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'sarif') {
        throw new UsageError(`Unknown format: ${f} (text, json or sarif)`);
      }
      format = f;
    } else if (arg === '--namespace') {
      namespace = value();
    } else if (arg === '--docs-url') {
      docsUrl = value();
    } else if (arg.startsWith('--')) {
      throw new UsageError(`Unknown option: ${arg}`);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) {
    throw new UsageError('No file or folder given');
  }
  return { paths, format, namespace, docsUrl };
}

/** The folder holding schemas/ and docs/ (the repository or the installed package), from this script up. */
function packageRoot(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'schemas', 'fn-mesh-rules.json'))) {
      return dir;
    }
  }
  throw new Error(`schemas/ not found above ${__dirname}`);
}

function version(root: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Runs the CLI; returns the exit code. Output goes to `out`, usage errors to `err`. */
export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const args = parseArgs(argv);
    const root = packageRoot();
    const files = collectYamlFiles(args.paths);
    const results = checkFiles(files, loadSchemaStore(path.join(root, 'schemas')), args.namespace).map((r) => ({
      ...r,
      file: path.relative(process.cwd(), r.file).startsWith('..') ? r.file : path.relative(process.cwd(), r.file),
    }));
    if (args.format === 'json') {
      out(formatJson(results));
    } else if (args.format === 'sarif') {
      const docsUrl = args.docsUrl ?? pathToFileURL(path.join(root, 'docs', 'rules.md')).toString();
      const toUri = (file: string): string => (path.isAbsolute(file) ? pathToFileURL(file).toString() : file.split(path.sep).join('/'));
      out(formatSarif(results, docsUrl, version(root), toUri));
    } else {
      out(formatText(results, files.length));
    }
    return exitCodeFor(results);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathError) {
      err(`fn-mesh-rules: ${e.message}\n${e instanceof UsageError ? usage : ''}`);
      return 3;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}
