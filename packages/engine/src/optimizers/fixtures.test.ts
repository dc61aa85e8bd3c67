import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { deserialize } from './registry.js';

beforeAll(() => ensureBackend());

const FIXTURES = join(import.meta.dirname, '../../../../../shared/fixtures/keras3');

interface TrainFixture {
  train: { optimizer: { class: string; config: Record<string, unknown> } };
  weights_h5_layout: { datasets: [string, number[], string][] };
}

function fixture(name: string): TrainFixture {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'io.json'), 'utf8')) as TrainFixture;
}

// Keras 3.15.1 wrote these: its optimizer config and its saved optimizer variable layout.
describe('Keras 3 fixtures', () => {
  it.each(['a_mlp', 'b_cnn', 'f_two_outputs'])(
    '%s: the SGD config round-trips key for key',
    (name) => {
      const { optimizer } = fixture(name).train;
      const opt = deserialize({ class_name: optimizer.class, config: optimizer.config });
      expect(opt.getConfig()).toEqual(optimizer.config);
    },
  );

  it('a_mlp: optimizer variables match the saved optimizer/vars layout', () => {
    const f = fixture('a_mlp');
    const saved = f.weights_h5_layout.datasets.filter(([path]) =>
      path.startsWith('optimizer/vars/'),
    );
    const opt = deserialize({
      class_name: f.train.optimizer.class,
      config: f.train.optimizer.config,
    });
    expect(opt.variables.map((v) => [v.shape, v.dtype])).toEqual(
      saved.map(([, shape, dtype]) => [shape, dtype]),
    );
  });
});
