// Entry of the rule validation worker thread (bundled as dist/ruleWorker.js): keeps a RuleSession
// and answers the protocol of workerProtocol.ts. Runs off the extension host's main thread, so a
// large or pathological file delays nothing but its own diagnostics; the host's watchdog
// terminates this thread if one file takes too long.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSchemaStore } from '../schemaStore';
import type { SchemaStore } from '../schemaStore';
import type { QuickFix } from '../quickFixes';
import type { FileResult } from './ruleSession';
import { RuleSession } from './ruleSession';
import type { FromWorker, ToWorker, WorkerSetup } from './workerProtocol';

const setup = workerData as WorkerSetup;
// Read at start, so that the first file's time guard does not pay for it.
const store: SchemaStore = loadSchemaStore(setup.schemaDir);
const session = new RuleSession(() => store, { defaultNamespace: setup.defaultNamespace });
/** Rule files still to validate (a superseded run leaves the rest to the next one). */
const todo = new Set<string>();
let latest = 0;
/** The problems last sent per file: what fix requests refer to by index. */
const sent = new Map<string, FileResult['problems']>();

const post = (message: FromWorker): void => parentPort?.postMessage(message);
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function run(generation: number): Promise<void> {
  latest = generation;
  const { validate, removed } = session.flush((uri) => post({ type: 'working', generation, uri }));
  validate.forEach((uri) => todo.add(uri));
  removed.forEach((uri) => {
    todo.delete(uri);
    sent.delete(uri);
  });
  if (removed.length > 0) {
    post({ type: 'removed', generation, uris: removed });
  }
  for (const uri of [...todo]) {
    await yieldToMessages(); // newer texts and runs get in between files
    if (generation !== latest) {
      return;
    }
    todo.delete(uri);
    if (!session.isRuleFile(uri)) {
      continue;
    }
    post({ type: 'working', generation, uri });
    try {
      const result = session.validate(uri);
      sent.set(uri, result.problems);
      post({ type: 'result', generation, result });
    } catch (err) {
      post({ type: 'failed', generation, uri, message: err instanceof Error ? err.message : String(err) });
    }
  }
  post({ type: 'done', generation });
}

parentPort?.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'files':
      for (const [uri, text] of message.files) {
        if (text === null) {
          session.deleteFile(uri);
        } else {
          session.setFile(uri, text);
        }
      }
      break;
    case 'cluster':
      session.setCluster(message.facts, message.namespace);
      break;
    case 'fixes': {
      const problem = sent.get(message.uri)?.[message.index];
      let fixes: QuickFix[] = [];
      try {
        fixes = problem ? session.fixesFor(message.uri, problem) : [];
      } catch {
        fixes = [];
      }
      post({ type: 'fixes', request: message.request, fixes });
      break;
    }
    case 'validate':
      run(message.generation).catch((err: unknown) => {
        post({ type: 'failed', generation: message.generation, uri: '', message: err instanceof Error ? err.message : String(err) });
        post({ type: 'done', generation: message.generation });
      });
      break;
  }
});
