/** Keras's `naming.to_snake_case`: `Conv2D` -> `conv2d`, `ReLU` -> `re_lu`, `LSTM` -> `lstm`. */
export function toSnakeCase(name: string): string {
  const cleaned = name.replace(/\W+/g, '');
  const step1 = cleaned.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return step1.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A TS property name as the Python attribute Keras would use: `cell` -> `cell`,
 * `forwardLayer` -> `forward_layer`, `_dropoutLayer` -> `_dropout_layer`.
 */
export function attributeName(prop: string): string {
  const lead = /^_*/.exec(prop)?.[0] ?? '';
  const rest = prop
    .slice(lead.length)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return `${lead}${rest}`;
}
