import 'vitest';
import type { AllcloseOptions } from './matchers.js';

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors vitest's own declaration
  interface Matchers<T = any> {
    /** numpy.allclose: |actual - expected| <= atol + rtol * |expected| (defaults 1e-5, 1e-6). */
    toBeAllclose(expected: unknown, opts?: AllcloseOptions): T;
  }
}
