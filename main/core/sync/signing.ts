import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';

/**
 * Every request a PC sends the hub is signed with the PC's own Ed25519 key, made on the PC when it
 * enrols (the private half never leaves it). The signature covers the method, the path, the PC,
 * a nonce the hub accepts once, and the body's hash, so a request cannot be altered or replayed.
 * The PC's clock is not part of the check: a PC whose clock is days off still syncs.
 */

export const HEADER = { pc: 'x-wardkeep-pc', nonce: 'x-wardkeep-nonce', signature: 'x-wardkeep-signature' } as const;

export function newKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function signingText(method: string, path: string, pcId: string, nonce: string, body: Buffer): string {
  return ['wardkeep-request-v1', method.toUpperCase(), path, pcId, nonce, createHash('sha256').update(body).digest('hex')].join('\n');
}

export function signRequest(privateKeyPem: string, method: string, path: string, pcId: string, body: Buffer): Record<string, string> {
  const nonce = randomBytes(16).toString('hex');
  const signature = sign(null, Buffer.from(signingText(method, path, pcId, nonce, body)), createPrivateKey(privateKeyPem)).toString(
    'base64',
  );
  return { [HEADER.pc]: pcId, [HEADER.nonce]: nonce, [HEADER.signature]: signature };
}

export function verifyRequest(
  publicKeyPem: string,
  method: string,
  path: string,
  pcId: string,
  nonce: string,
  body: Buffer,
  signature: string,
): boolean {
  try {
    return verify(
      null,
      Buffer.from(signingText(method, path, pcId, nonce, body)),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
