import { describe, expect, it } from 'vitest';
import { formatPath } from './format-path.js';

describe('formatPath (Python str.format subset)', () => {
  it('formats Keras checkpoint names', () => {
    expect(formatPath('w.{epoch:02d}-{val_loss:.2f}.h5', { epoch: 3, val_loss: 0.123456 })).toBe(
      'w.03-0.12.h5',
    );
    expect(formatPath('{epoch}', { epoch: 12 })).toBe('12');
    expect(formatPath('{loss:.3e}', { loss: 0.000123 })).toBe('1.230e-04');
    expect(formatPath('{epoch:4d}', { epoch: 7 })).toBe('   7');
  });

  it('names the missing key and the available ones', () => {
    expect(() => formatPath('{val_acc:.2f}', { epoch: 1, loss: 2 })).toThrow(
      /key "val_acc" is not available. Available keys: epoch, loss/,
    );
  });
});
