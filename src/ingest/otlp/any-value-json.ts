import type { JsonObject, JsonValue } from "../../traces/model";
import { isObject, setKey } from "../common/json";
import { reject } from "./span-rejection";

const MAX_DEPTH = 32;

/** OTLP/JSON `intValue`: a decimal string or a number. Unsafe integers stay exact as strings. */
function intValueFromJson(raw: unknown, path: string): number | string {
  if (typeof raw === "number") {
    return Number.isInteger(raw) ? raw : reject(`${path} must be an integer, got ${raw}`);
  }
  if (typeof raw === "string") {
    const n = Number(raw);
    if (Number.isSafeInteger(n) && raw.trim() !== "") {
      return n;
    }
    if (/^-?\d{1,20}$/.test(raw)) {
      return raw;
    }
  }
  return reject(`${path} must be an integer or a decimal string`);
}

function doubleFromJson(raw: unknown, path: string): number | string {
  if (typeof raw === "number") {
    return raw;
  }
  // Proto JSON spells non-finite doubles as strings; JSON cannot hold them as numbers, so they stay strings.
  if (raw === "NaN" || raw === "Infinity" || raw === "-Infinity") {
    return raw;
  }
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  return Number.isFinite(n) ? n : reject(`${path} must be a number`);
}

/** A member by its JSON or proto name; null counts as unset, as proto3 JSON defines. */
function pick(raw: Record<string, unknown>, camel: string, snake: string): unknown {
  const value = raw[camel] ?? raw[snake];
  return value === null ? undefined : value;
}

function arrayOfValues(raw: unknown, path: string): unknown[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!isObject(raw)) {
    return reject(`${path} must be an object with "values"`);
  }
  const values = raw.values ?? [];
  return Array.isArray(values) ? values : reject(`${path}.values must be an array`);
}

/** One OTLP/JSON AnyValue as plain JSON. Accepts the lowerCamelCase and the proto field names. */
export function anyValueFromJson(raw: unknown, path: string, depth = 0): JsonValue {
  if (raw === undefined || raw === null) {
    return null;
  }
  if (!isObject(raw)) {
    return reject(`${path} must be an AnyValue object`);
  }
  if (depth > MAX_DEPTH) {
    return reject(`${path} is nested deeper than ${MAX_DEPTH} levels`);
  }
  const str = pick(raw, "stringValue", "string_value");
  if (str !== undefined) {
    return typeof str === "string" ? str : reject(`${path}.stringValue must be a string`);
  }
  const bool = pick(raw, "boolValue", "bool_value");
  if (bool !== undefined) {
    return typeof bool === "boolean" ? bool : reject(`${path}.boolValue must be a boolean`);
  }
  const int = pick(raw, "intValue", "int_value");
  if (int !== undefined) {
    return intValueFromJson(int, `${path}.intValue`);
  }
  const double = pick(raw, "doubleValue", "double_value");
  if (double !== undefined) {
    return doubleFromJson(double, `${path}.doubleValue`);
  }
  return nestedFromJson(raw, path, depth);
}

function nestedFromJson(raw: Record<string, unknown>, path: string, depth: number): JsonValue {
  const array = pick(raw, "arrayValue", "array_value");
  if (array !== undefined) {
    return arrayOfValues(array, `${path}.arrayValue`).map((v, i) =>
      anyValueFromJson(v, `${path}.arrayValue.values[${i}]`, depth + 1),
    );
  }
  const kvlist = pick(raw, "kvlistValue", "kvlist_value");
  if (kvlist !== undefined) {
    return keyValuesFromJson(arrayOfValues(kvlist, `${path}.kvlistValue`), `${path}.kvlistValue.values`, depth + 1);
  }
  const bytes = pick(raw, "bytesValue", "bytes_value");
  if (bytes !== undefined) {
    return typeof bytes === "string" ? bytes : reject(`${path}.bytesValue must be a base64 string`);
  }
  return null; // an empty AnyValue is legal and means "no value"
}

/** A KeyValue list (span, event, resource attributes) as one JSON object; later duplicates win. */
export function keyValuesFromJson(raw: unknown, path: string, depth = 0): JsonObject {
  if (raw === undefined || raw === null) {
    return {};
  }
  if (!Array.isArray(raw)) {
    return reject(`${path} must be an array of {key, value}`);
  }
  const out: JsonObject = {};
  for (let i = 0; i < raw.length; i++) {
    const kv: unknown = raw[i];
    if (!isObject(kv) || typeof kv.key !== "string") {
      return reject(`${path}[${i}] must be an object with a string "key"`);
    }
    setKey(out, kv.key, plainStringValue(kv.value) ?? anyValueFromJson(kv.value, `${path}[${i}].value`, depth));
  }
  return out;
}

/**
 * The common attribute, `{"stringValue": "…"}` and nothing else, read without building the error path
 * the general decoder carries (one string per attribute on ingest). Undefined for anything else.
 */
function plainStringValue(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null) {
    return undefined;
  }
  const value = (raw as { stringValue?: unknown }).stringValue;
  return typeof value === "string" ? value : undefined;
}
