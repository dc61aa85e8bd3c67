/** JSON as Keras writes it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `{class_name, config}` entry (Keras 2) or a full serialized object (Keras 3). */
export interface SerializedObject extends JsonObject {
  class_name: string;
  config: Json;
}

export function isSerializedObject(v: unknown): v is SerializedObject {
  return isObject(v) && typeof v.class_name === 'string' && 'config' in v;
}

export function parseJson(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new Error(`${what} is not valid JSON (${(err as Error).message}).`);
  }
}
