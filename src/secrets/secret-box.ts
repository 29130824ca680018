import { AppError } from "../errors";

/** Encrypts integration secrets at rest. Ciphertext format: `v1.<base64url iv>.<base64url data>`. */
export interface SecretBox {
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertext: string): Promise<string>;
}

const VERSION = "v1";
const IV_BYTES = 12; // the AES-GCM standard nonce size

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/**
 * AES-256-GCM (WebCrypto, so identical on Node and Workers) with a key derived by HKDF-SHA256
 * from `ENCRYPTION_KEY`. A random IV per message; GCM authenticates, so tampering fails decrypt.
 */
export async function createSecretBox(encryptionKey: string): Promise<SecretBox> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(encryptionKey), "HKDF", false, [
    "deriveKey",
  ]);
  const key = await crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new TextEncoder().encode("iofold.secret-box"),
      info: new TextEncoder().encode(VERSION),
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  return {
    async encrypt(plaintext) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plaintext));
      return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(data))}`;
    },
    async decrypt(ciphertext) {
      const [version, iv, data] = ciphertext.split(".");
      if (version !== VERSION || !iv || !data) {
        throw new AppError("CONFIGURATION_ERROR", "Stored secret has an unknown format");
      }
      try {
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(iv) }, key, fromBase64Url(data));
        return new TextDecoder().decode(plain);
      } catch (cause) {
        throw new AppError(
          "CONFIGURATION_ERROR",
          "Stored secret cannot be decrypted: ENCRYPTION_KEY differs from the key it was stored with",
          undefined,
          { cause },
        );
      }
    },
  };
}

/** For a host with no ENCRYPTION_KEY: any use is a clear configuration error, not a crash. */
export const missingSecretBox: SecretBox = {
  encrypt: () => Promise.reject(new AppError("CONFIGURATION_ERROR", "Set ENCRYPTION_KEY to store secrets")),
  decrypt: () => Promise.reject(new AppError("CONFIGURATION_ERROR", "Set ENCRYPTION_KEY to read stored secrets")),
};
