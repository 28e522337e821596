/**
 * The sandbox's TLS material, generated at start with `selfsigned` (pure Node crypto: users may
 * not have the openssl CLI). A small CA signs the server certificate, so clients trust the CA
 * per client (`tlsOptions: { ca }`, curl --cacert) and never turn verification off.
 */
import { generate } from 'selfsigned';

export interface SandboxTls {
  /** PEM of the CA that signed the server certificate: what clients trust. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

export async function generateSandboxTls(now = new Date()): Promise<SandboxTls> {
  // EC keys: generation takes milliseconds, where RSA 2048 can take a noticeable fraction of a second.
  const notBeforeDate = new Date(now.getTime() - 60_000);
  const notAfterDate = new Date(now.getTime() + 30 * 24 * 3600_000);
  const ca = await generate([{ name: 'commonName', value: 'feathr-kv-setup sandbox CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
