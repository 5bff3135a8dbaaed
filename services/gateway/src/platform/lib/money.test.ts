import { dollarsToMicros, microsToDollars, parseDollars } from './money';

describe('money', () => {
  it('converts between dollars and micros without float noise', () => {
    expect(dollarsToMicros(0.3)).toBe(300_000);
    expect(dollarsToMicros(0.1 + 0.2)).toBe(300_000);
    expect(microsToDollars(300_000)).toBe(0.3);
    expect(microsToDollars(12_500_000)).toBe(12.5);
    expect(microsToDollars(1)).toBe(0.000001);
  });

  it('parses decimal strings exactly', () => {
    expect(parseDollars('10')).toBe(10_000_000);
    expect(parseDollars('0.25')).toBe(250_000);
    expect(parseDollars('12.345678')).toBe(12_345_678);
    expect(() => parseDollars('-1')).toThrow(RangeError);
    expect(() => parseDollars('1.2345678')).toThrow(RangeError);
    expect(() => parseDollars('abc')).toThrow(RangeError);
  });
});
