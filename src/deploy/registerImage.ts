// Register image: create a function from an already-built image, or point an existing function
// of the same name at the new image; either way the function ends with its HTTP trigger at
// `/<name>` (a run that could not add it says so, and the next run adds it). Pure: no `vscode`.
import { UserError, describeError } from '../common/errors';
import { redactUrl } from '../common/redact';
import type { FnClient } from '../fn/fnClient';
import type { FnFunctionSpec, FnWriter } from '../fn/fnWriter';
import type { FnApp, FnFunction } from '../fn/model';
import { fnNameProblem } from '../fn/names';
import { imageReferenceProblem } from '../common/imageReference';

export interface RegisterResult {
  readonly action: 'created' | 'updated';
  readonly fn: FnFunction;
}

export async function registerImage(
  client: FnClient & FnWriter,
  app: FnApp,
  spec: FnFunctionSpec,
  signal?: AbortSignal,
  /** Asked before the image of an existing function is replaced; false ends with a cancellation (AbortError), nothing written. */
  confirmReplace?: (existing: FnFunction) => Promise<boolean>,
): Promise<RegisterResult> {
  const nameProblem = fnNameProblem(spec.name, 'Fn function name');
  if (nameProblem) {
    throw new UserError(nameProblem);
  }
  const problem = imageReferenceProblem(spec.image);
  if (problem) {
    throw new UserError(problem);
  }
  if ((await client.apiVersion(signal)) !== 'v2') {
    // The 2018 API's routes (POST/PATCH /v1/apps/<app>/routes) are deliberately not offered.
    throw new UserError(`${redactUrl(client.apiUrl)} speaks the 2018 Fn API (v1): Register Image needs Fn API v2 (Fn 0.3.500 or later)`);
  }
  const existing = (await client.listFunctions(app, { signal })).items.find((f) => f.name === spec.name);
  if (existing && existing.image !== spec.image && confirmReplace && !(await confirmReplace(existing))) {
    throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
  }
  const action = existing ? 'updated' : 'created';
  const fn = existing ? await client.updateFunctionImage(existing, spec.image, signal) : await client.createFunction(app, spec, signal);
  if (fn.triggers.some((t) => t.type === 'http')) {
    return { action, fn };
  }
  // A new function, or one left without its trigger by an earlier run: add it.
  try {
    const trigger = await client.createHttpTrigger(fn, `/${spec.name}`, signal);
    return { action, fn: { ...fn, triggers: [...fn.triggers, trigger] } };
  } catch (err) {
    throw new UserError(
      `function ${app.name}/${spec.name} was ${action} with image ${spec.image}, but its HTTP trigger /${spec.name} could not be created: ${describeError(err)}. ` +
        'Run Register Image again to add the trigger',
    );
  }
}
