import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

/**
 * The tokens a libSQL server (sqld) accepts in `Authorization: Bearer …`: JWTs signed with Ed25519
 * (`alg: EdDSA`), checked against the public key given to `sqld --auth-jwt-key-file`. node:crypto does
 * both halves, so the tests need no JWT library.
 */
export interface JwtKeys {
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`), the format `--auth-jwt-key-file` reads. */
  publicKeyPem: string;
  privateKey: KeyObject;
}

export function generateJwtKeys(): JwtKeys {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return { publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey };
}

export interface JwtClaims {
  /** Seconds since the epoch; sqld rejects a token past it ("The JWT has expired"). Omitted: never expires. */
  exp?: number;
  /** sqld's access level: "rw" (read-write, also the default) or "ro". */
  a?: "rw" | "ro";
  [claim: string]: unknown;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A compact JWS: header.claims.signature, each base64url; Ed25519 signs the first two as they are. */
export function signJwt(privateKey: KeyObject, claims: JwtClaims = {}): string {
  const signingInput = `${base64url({ alg: "EdDSA", typ: "JWT" })}.${base64url({ iat: Math.floor(Date.now() / 1000), ...claims })}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString("base64url")}`;
}
