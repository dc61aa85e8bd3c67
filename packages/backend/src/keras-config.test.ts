import { afterEach, describe, expect, it } from 'vitest';
import {
  epsilon,
  floatx,
  imageDataFormat,
  setEpsilon,
  setFloatx,
  setImageDataFormat,
} from './keras-config.js';

describe('keras config', () => {
  afterEach(() => {
    setFloatx('float32');
    setEpsilon(1e-7);
    setImageDataFormat('channels_last');
  });

  it('has the Keras defaults', () => {
    expect(floatx()).toBe('float32');
    expect(epsilon()).toBe(1e-7);
    expect(imageDataFormat()).toBe('channels_last');
  });

  it('echoes invalid values', () => {
    expect(() => setEpsilon(-1)).toThrow('Received: epsilon=-1');
    expect(() => setImageDataFormat('nhwc' as never)).toThrow('Received: data_format=nhwc');
    expect(() => setFloatx('int8' as never)).toThrow('Unknown floatx type: int8');
  });

  it('stores valid values', () => {
    setEpsilon(1e-3);
    expect(epsilon()).toBeAllclose(1e-3);
    setImageDataFormat('channels_first');
    expect(imageDataFormat()).toBe('channels_first');
  });
});
