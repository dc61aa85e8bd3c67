/**
 * A word index like Keras's `Tokenizer(num_words=..., oov_token=...)`: id 0 is padding (what
 * `maskZero` masks), id 1 the out-of-vocabulary word, then words by falling frequency in the
 * training split only (the held-out messages must not shape the vocabulary).
 */
export const PAD = 0;
export const OOV = 1;

export class Vocabulary {
  private readonly index = new Map<string, number>();

  constructor(
    training: string[][],
    readonly size: number,
  ) {
    const counts = new Map<string, number>();
    for (const tokens of training) {
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const words = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, size - 2);
    for (const [i, [w]] of words.entries()) this.index.set(w, i + 2);
  }

  encode(tokens: string[]): number[] {
    return tokens.map((t) => this.index.get(t) ?? OOV);
  }
}

/**
 * Keras's `pad_sequences(seqs, maxlen, padding='post', truncating='post')`: the first `maxLen`
 * ids, then zeros. Post-padding puts the padding after the words, where only the mask keeps it
 * from overwriting what the LSTM read.
 */
export function padSequences(seqs: number[][], maxLen: number): Int32Array {
  const out = new Int32Array(seqs.length * maxLen);
  seqs.forEach((s, i) => {
    out.set(s.slice(0, maxLen), i * maxLen);
  });
  return out;
}
