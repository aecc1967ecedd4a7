// Features loaded on first use. Activation registers every command of such a feature as a stub;
// the first call of one loads the feature (a bundle of its own, see esbuild.mjs), whose handlers
// go behind the stubs through `registerInto`, and runs the call. Views, status bar and services
// that must exist from the start are not loaded this way.
import * as vscode from 'vscode';
import type { CommandId } from '../commandIds';
import { registerCommand, type CommandSink } from './commands';

/** `make()` on the first call, the same value afterwards; a `make` that throws is tried again next time. */
export function once<T>(make: () => T): () => T {
  let made: { readonly value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export class LazyCommands implements vscode.Disposable {
  private readonly handlers = new Map<CommandId, (...args: unknown[]) => Promise<unknown>>();
  private readonly stubs: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Where a loaded feature's handlers go (pass it to the feature bundle's `registerInto`). */
  readonly sink: CommandSink = (id, handler) => {
    this.handlers.set(id, handler);
    return new vscode.Disposable(() => {
      if (this.handlers.get(id) === handler) {
        this.handlers.delete(id);
      }
    });
  };

  /**
   * Registers `ids` with VS Code now; the first call of one runs `load`, which must register the
   * handlers of all of them into `sink`. If it leaves any out (a command listed under the wrong
   * feature), that first call fails naming them, so any test that runs one command of a feature
   * checks the whole list.
   */
  add(ids: readonly CommandId[], load: () => unknown): void {
    const loadAll = (): void => {
      load();
      const missing = ids.filter((other) => !this.handlers.has(other));
      if (missing.length > 0) {
        throw new Error(`the feature loaded for ${ids.join(', ')} did not register ${missing.join(', ')}`);
      }
    };
    for (const id of ids) {
      this.stubs.push(
        registerCommand(this.log, id, (...args: unknown[]) => {
          if (!this.handlers.has(id)) {
            loadAll();
          }
          const handler = this.handlers.get(id);
          if (!handler) {
            throw new Error(`${id} was not registered by the feature that was loaded for it`);
          }
          return handler(...args);
        }),
      );
    }
  }

  dispose(): void {
    for (const stub of this.stubs) {
      stub.dispose();
    }
    this.handlers.clear();
  }
}
