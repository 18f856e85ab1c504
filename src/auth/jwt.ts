/**
 * Compact JWS tokens as GitHub Actions issues them (RS256): parsing, and the signature check with
 * WebCrypto. Only RS256 is accepted, so a token cannot pick a weaker algorithm (`none`, or an HMAC
 * keyed with the public key) for itself.
 */

export interface Jwt {
  header: { alg?: unknown; kid?: unknown };
  claims: Record<string, unknown>;
  /** `header.payload` as sent: what the signature covers. */
  signed: Uint8Array;
  signature: Uint8Array;
}

/** An RSA public key from the issuer's JWKS. */
export interface RsaJwk {
  kty: 'RSA';
  kid: string;
  n: string;
  e: string;
}

function base64urlBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function jsonObject(bytes: Uint8Array | null): Record<string, unknown> | null {
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Tokens past this size are not OIDC identity tokens (GitHub's are about 1-2 KB). */
const MAX_TOKEN_LENGTH = 16_384;

export function parseJwt(token: string): Jwt | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, claims, signature] = [
    jsonObject(base64urlBytes(parts[0]!)),
    jsonObject(base64urlBytes(parts[1]!)),
    base64urlBytes(parts[2]!),
  ];
  if (!header || !claims || !signature) return null;
  return { header, claims, signed: new TextEncoder().encode(`${parts[0]}.${parts[1]}`), signature };
}

export function isRs256(jwt: Jwt): boolean {
  return jwt.header.alg === 'RS256' && typeof jwt.header.kid === 'string';
}

/** Only the key's modulus and exponent are imported: a JWK's other members (x5c, use, …) decide nothing here. */
export async function verifyRs256(jwt: Jwt, jwk: RsaJwk): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true },
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, jwt.signature, jwt.signed);
  } catch {
    return false;
  }
}
