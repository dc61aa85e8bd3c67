/** What `@keras-ts/saving` provides to Model (the IO seam: engine never imports saving). */
export interface ModelIO {
  save(model: unknown, path: string, options?: Record<string, unknown>): Promise<void>;
  saveWeights(model: unknown, path: string, options?: Record<string, unknown>): Promise<void>;
  loadWeights(model: unknown, path: string, options?: Record<string, unknown>): Promise<void>;
}

let registered: ModelIO | null = null;

/** Called by `@keras-ts/saving` when it is imported. A later registration replaces the earlier. */
export function registerModelIO(io: ModelIO): void {
  for (const key of ['save', 'saveWeights', 'loadWeights'] as const) {
    if (typeof io?.[key] !== 'function') {
      throw new Error(
        `registerModelIO expects { save, saveWeights, loadWeights } functions. Received: ${key}=${typeof io?.[key]}`,
      );
    }
  }
  registered = io;
}

/** The registered handlers, or the error that tells the user which package to import. */
export function getModelIO(): ModelIO {
  if (registered === null) {
    throw new Error(
      "Saving models needs '@keras-ts/saving': add `import '@keras-ts/saving'` (or import 'keras-ts')",
    );
  }
  return registered;
}

/** For tests: forget the registered handlers. */
export function unregisterModelIO(): void {
  registered = null;
}
