import { AllowList, parseAllowEntry, portOf } from './allow-list';

describe('allow-list entries (host, host:port, host:*)', () => {
  it('parses names, IPv4 and bracketed IPv6 literals with their ports', () => {
    expect(parseAllowEntry('Images.Internal')).toEqual({ host: 'images.internal', ports: [80, 443] });
    expect(parseAllowEntry('minio.internal:9000')).toEqual({ host: 'minio.internal', ports: [9000] });
    expect(parseAllowEntry('10.0.0.5:*')).toEqual({ host: '10.0.0.5', ports: 'any' });
    expect(parseAllowEntry('[fd00::5]:8080')).toEqual({ host: 'fd00::5', ports: [8080] });
    for (const bad of ['a:0', 'a:65536', 'a:x', 'a:', 'http://a', 'a b', '[nope]:80', '::1', '-a.test', '']) {
      expect(parseAllowEntry(bad)).toBeUndefined();
    }
  });

  it('allows a host only on its ports: 80 and 443 when none is named', () => {
    const list = new AllowList(['images.internal', 'minio.internal:9000', 'any.internal:*', '[::1]:8080']);
    expect(list.allows('images.internal', 443)).toBe(true);
    expect(list.allows('IMAGES.internal', 80)).toBe(true);
    expect(list.allows('images.internal', 22)).toBe(false);
    expect(list.allows('minio.internal', 9000)).toBe(true);
    expect(list.allows('minio.internal', 443)).toBe(false);
    expect(list.allows('any.internal', 6379)).toBe(true);
    expect(list.allows('[::1]', 8080)).toBe(true);
    expect(list.allows('::1', 8081)).toBe(false);
    expect(list.allows('other.internal', 443)).toBe(false);
  });

  it('a URL without a port uses its scheme’s', () => {
    expect(portOf(new URL('https://a.test/x'))).toBe(443);
    expect(portOf(new URL('http://a.test/x'))).toBe(80);
    expect(portOf(new URL('http://a.test:8080/x'))).toBe(8080);
  });
});
