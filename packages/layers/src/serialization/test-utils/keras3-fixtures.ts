/**
 * Test-only access to /work/shared/fixtures/keras3 (written by Python Keras 3.15.1): the Keras 3
 * config.json inside model.keras, the legacy-dialect config and weights of model.h5, and io.json.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm/node';
import type { Config } from '../../engine/types.js';

export const FIXTURES = [
  'a_mlp',
  'b_cnn',
  'c_embedding_lstm',
  'd_embedding_gru',
  'e_batchnorm_dropout',
  'f_two_outputs',
  'g_shared_layer',
  'h1_conv_extras',
  'h2_layernorm_mha',
];

const dir = (name: string) =>
  fileURLToPath(new URL(`../../../../../../shared/fixtures/keras3/${name}/`, import.meta.url));

/** One entry of a zip archive (stored or deflated), found through the central directory. */
function readZipEntry(buf: Buffer, entry: string): Buffer {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === entry) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(start, start + size);
      return method === 0 ? raw : inflateRawSync(raw);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`no ${entry} in archive`);
}

/** `config.json` of model.keras (Keras 3 dialect). */
export function kerasConfig(name: string): Config {
  return JSON.parse(
    readZipEntry(readFileSync(`${dir(name)}model.keras`), 'config.json').toString('utf8'),
  );
}

export function ioJson(name: string): Record<string, unknown> & {
  inputs: Record<string, { data: unknown; dtype: string }>;
  intermediates: Record<
    string,
    { data?: unknown; shared_layer_outputs_by_node_index?: { data: unknown }[] }
  >;
} {
  return JSON.parse(readFileSync(`${dir(name)}io.json`, 'utf8'));
}

/** The model_config attribute of model.h5 and its weights (`model_weights/<layer>/<layer>/<var>`). */
export async function h5Model(name: string): Promise<{
  config: Config;
  weight: (layer: string, variable: string) => tf.Tensor;
  close: () => void;
}> {
  await h5wasm.ready;
  const file = new h5wasm.File(`${dir(name)}model.h5`, 'r');
  const config = JSON.parse(String(file.attrs.model_config?.value));
  const weight = (layer: string, variable: string) => {
    const ds = file.get(`model_weights/${layer}/${layer}/${variable}`);
    if (!(ds instanceof h5wasm.Dataset))
      throw new Error(`no weight ${layer}/${variable} in ${name}`);
    return tf.tensor(Array.from(ds.value as Float32Array), ds.shape as number[], 'float32');
  };
  return { config, weight, close: () => file.close() };
}

/** Drops Keras's in-memory `shared_object_id` markers, which are not part of a config. */
export function stripSharedIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSharedIds);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== 'shared_object_id')
        .map(([k, x]) => [k, stripSharedIds(x)]),
    );
  }
  return v;
}
