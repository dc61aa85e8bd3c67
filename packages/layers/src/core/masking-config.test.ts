import { describe, expect, it } from 'vitest';
import { Masking } from './masking.js';

describe('Masking config from Keras 3.8', () => {
  it('reads mask_value stored as a serialized tensor', () => {
    // The Masking entry of shared/fixtures/real/keras3_keras/k3.8_masking_lstm.keras config.json.
    const config = {
      name: 'masking',
      trainable: true,
      dtype: {
        module: 'keras',
        class_name: 'DTypePolicy',
        config: { name: 'float32' },
        registered_name: null,
      },
      mask_value: { class_name: '__tensor__', config: { value: [0.0], dtype: 'float32' } },
    };
    const layer = Masking.fromConfig(config) as Masking;
    expect(layer.maskValue).toBe(0);
    expect(() => new Masking({ maskValue: 'x' as never })).toThrow('Received: maskValue="x"');
  });
});
