// The migration report: what had no equivalent, tied to the source document and field.
import type { YamlPath } from '../problems';
import type { Json } from '../resources';

export interface MigrationNote {
  readonly severity: 'warning' | 'info';
  readonly message: string;
  /** Document of the source file the note is about. */
  readonly documentIndex: number;
  /** Path of the field in that document. */
  readonly path: YamlPath;
}

/** Collects notes for one source document. */
export class NoteSink {
  readonly notes: MigrationNote[] = [];

  constructor(private readonly documentIndex: number) {}

  warn(path: YamlPath, message: string): void {
    this.notes.push({ severity: 'warning', message, documentIndex: this.documentIndex, path });
  }

  info(path: YamlPath, message: string): void {
    this.notes.push({ severity: 'info', message, documentIndex: this.documentIndex, path });
  }

  /** Notes every key of `value` outside `known` as having no equivalent. */
  unknownKeys(value: Json, known: readonly string[], path: YamlPath): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.warn([...path, key], `'${key}' has no equivalent in networking.istio.io/v1 and was dropped`);
      }
    }
  }
}
