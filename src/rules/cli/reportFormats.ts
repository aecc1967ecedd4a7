// Output formats of the command-line checker: text (one line per problem, as compilers print),
// JSON (the engine's problems per file) and SARIF 2.1.0 (code scanning), plus the exit code.
import type { Severity } from '../codes';
import { docsLink, ruleCodes } from '../codes';
import type { FileProblems } from './checkPaths';

export type OutputFormat = 'text' | 'json' | 'sarif';

/** 0: no problem or information only; 1: warnings; 2: errors. */
export function exitCodeFor(results: readonly FileProblems[]): number {
  const severities = new Set(results.flatMap((r) => r.problems.map((p) => p.severity)));
  return severities.has('error') ? 2 : severities.has('warning') ? 1 : 0;
}

/** `file:line:column: severity FNMxxx message`, 1-based like compilers, then a summary line. */
export function formatText(results: readonly FileProblems[], checkedFiles: number): string {
  const lines: string[] = [];
  for (const { file, problems } of results) {
    for (const p of problems) {
      lines.push(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.code} ${p.message}`);
    }
  }
  const count = (s: Severity): number => results.reduce((n, r) => n + r.problems.filter((p) => p.severity === s).length, 0);
  const rules = results.length;
  lines.push(
    `${checkedFiles} YAML file(s), ${rules} with rules: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} information`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(results: readonly FileProblems[]): string {
  return `${JSON.stringify({ files: results }, null, 2)}\n`;
}

const sarifLevel: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0: one run, rule ids = FNM codes with their title, explanation and help link into
 * docs/rules.md (`docsUrl`); regions 1-based, columns in UTF-16 code units, end column exclusive.
 */
export function formatSarif(results: readonly FileProblems[], docsUrl: string, version: string, toUri: (file: string) => string): string {
  const used = [...new Set(results.flatMap((r) => r.problems.map((p) => p.code)))].sort();
  const ruleIndex = new Map(used.map((code, i) => [code, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'fn-mesh-rules',
            version,
            informationUri: docsUrl,
            rules: used.map((code) => ({
              id: code,
              shortDescription: { text: ruleCodes[code].title },
              fullDescription: { text: ruleCodes[code].explanation },
              helpUri: docsLink(code, docsUrl),
              defaultConfiguration: { level: sarifLevel[ruleCodes[code].severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap(({ file, problems }) =>
          problems.map((p) => ({
            ruleId: p.code,
            ruleIndex: ruleIndex.get(p.code),
            level: sarifLevel[p.severity],
            message: { text: p.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: toUri(file) },
                  region: {
                    startLine: p.range.start.line + 1,
                    startColumn: p.range.start.character + 1,
                    endLine: p.range.end.line + 1,
                    endColumn: p.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
