// A throw-away PKI for the engine link's TLS tests, made with the openssl CLI: a CA, an engine (server)
// certificate for 127.0.0.1 and localhost, a client certificate, and a client certificate from another CA.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate and key signed by a CA the engine does not trust. */
  strangerCert: string;
  strangerKey: string;
}

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function makePki(dir: string): Pki {
  const file = (name: string) => path.join(dir, name);
  const ca = (name: string) =>
    openssl(
      'req',
      '-x509',
      ...EC,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.crt`),
    );
  const leaf = (name: string, issuer: string, ext: string) => {
    writeFileSync(file(`${name}.ext`), ext);
    openssl(
      'req',
      ...EC,
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
    );
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file(`${issuer}.crt`),
      '-CAkey',
      file(`${issuer}.key`),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.crt`),
    );
  };
  ca('test-ca');
  ca('stranger-ca');
  leaf(
    'engine',
    'test-ca',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  leaf('gateway', 'test-ca', 'extendedKeyUsage=clientAuth\n');
  leaf('stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: file('test-ca.crt'),
    serverCert: file('engine.crt'),
    serverKey: file('engine.key'),
    clientCert: file('gateway.crt'),
    clientKey: file('gateway.key'),
    strangerCert: file('stranger.crt'),
    strangerKey: file('stranger.key'),
  };
}
