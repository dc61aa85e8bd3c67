import { isObject, isSerializedObject, type Json } from '../config/json-types.js';

/**
 * Keras refuses to deserialize Python lambdas unless `safe_mode=False`. We never evaluate code
 * from a file at all: with `safeMode: false` a Lambda layer can only resolve a function
 * registered by name (done by the Lambda layer's `fromConfig`). This check gives the safe-mode
 * error before anything is built.
 */
export function assertNoLambdaInSafeMode(
  config: Json,
  options: { safeMode: boolean; source: string },
): void {
  if (!options.safeMode) return;
  const found = findLambda(config, 0);
  if (found !== undefined) {
    throw new Error(
      `Cannot load "${options.source}": it contains ${found}. Deserializing a Lambda carries a risk of ` +
        'arbitrary code execution, so it is refused in safe mode. If you trust the file, pass ' +
        '`safeMode: false` and register the function (registerKerasSerializable or customObjects); ' +
        'keras-ts never runs code stored in a file.',
    );
  }
}

function findLambda(value: Json, depth: number): string | undefined {
  if (depth > 200) return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const hit = findLambda(v, depth + 1);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (isSerializedObject(value) && value.class_name === '__lambda__')
    return 'a serialized Python lambda';
  if (isSerializedObject(value) && value.class_name === 'Lambda') {
    const name =
      isObject(value.config) && typeof value.config.name === 'string' ? value.config.name : '?';
    return `a Lambda layer ("${name}")`;
  }
  for (const v of Object.values(value)) {
    const hit = findLambda(v, depth + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}
