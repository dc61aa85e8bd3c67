declare module 'mnist' {
  interface Digit {
    length: number;
    get(index: number): number[];
  }
  const digits: Record<number, Digit>;
  export default digits;
}
