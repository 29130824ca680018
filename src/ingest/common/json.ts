import type { JsonObject, JsonValue } from "../../traces/model";

/** Values that came out of JSON.parse are JSON by construction; this only narrows the type and maps undefined to null. */
export function asJson(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asJsonObject(value: unknown): JsonObject {
  return isObject(value) ? (value as JsonObject) : {};
}

/**
 * Parse strings that hold JSON (Langfuse input/output, OpenInference `input.value`, tool arguments)
 * and keep anything else as is. Only strings that start like an object or array are tried, so plain
 * text such as "42" or "true" stays text.
 */
export function parseJsonLenient(value: unknown): JsonValue {
  if (typeof value !== "string") {
    return asJson(value);
  }
  const first = firstNonSpace(value);
  if (first !== "{" && first !== "[") {
    return value;
  }
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

function firstNonSpace(text: string): string {
  for (let i = 0; i < text.length && i < 64; i++) {
    const ch = text.charAt(i);
    if (ch !== " " && ch !== "\n" && ch !== "\r" && ch !== "\t") {
      return ch;
    }
  }
  return "";
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** A non-negative integer from a number or a numeric string (token counts arrive both ways); null otherwise. */
export function countOrNull(value: unknown): number | null {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
    return null;
  }
  return Math.round(n);
}

/** Strings from an array value; anything else is dropped. */
export function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return typeof value === "string" && value !== "" ? [value] : [];
  }
  return value.filter((v): v is string => typeof v === "string");
}

/** obj[key] = value, also for the key "__proto__" (which plain assignment would turn into a prototype change). */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  obj[key] = value;
}

/** table[key] for lookup tables keyed by input text; never an inherited property such as "constructor". */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
