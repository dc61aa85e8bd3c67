import * as engine from '@keras-ts/engine';
import { saveModel } from './api/save-model.js';
import { loadWeights, saveWeights } from './api/weights-api.js';

/**
 * Importing `@keras-ts/saving` plugs its formats into `model.save()`, `model.saveWeights()` and
 * `model.loadWeights()` (engine's IO seam; engine never imports saving).
 */
const register = (engine as unknown as { registerModelIO?: (io: unknown) => void }).registerModelIO;
if (typeof register === 'function') {
  register({
    save: (model: unknown, path: string, options?: Record<string, unknown>) =>
      saveModel(model, path, options ?? {}),
    saveWeights: (model: unknown, path: string, options?: Record<string, unknown>) =>
      saveWeights(model, path, options ?? {}),
    loadWeights: (model: unknown, path: string, options?: Record<string, unknown>) =>
      loadWeights(model, path, options ?? {}),
  });
}
