import { ExternalServiceError } from "../errors";

/** An API object exactly as the service sent it (parsed JSON); adapters give it meaning. */
export type RawObject = Record<string, unknown>;

export function isRawObject(value: unknown): value is RawObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A response that does not have the envelope the API documents is a server fault (502, transient). */
export function unexpectedShape(service: string, what: string): ExternalServiceError {
  return new ExternalServiceError(service, `${service} answered an unexpected shape: ${what}`, { status: 502 });
}

export function expectObject(service: string, value: unknown, what: string): RawObject {
  if (!isRawObject(value)) {
    throw unexpectedShape(service, `${what} is not an object`);
  }
  return value;
}

/** `value[key]` as an array of objects; a missing key is an empty list only when `optional`. */
export function objectArray(service: string, value: RawObject, key: string, optional = false): RawObject[] {
  const items = value[key];
  if (items === undefined && optional) {
    return [];
  }
  if (!Array.isArray(items)) {
    throw unexpectedShape(service, `"${key}" is not an array`);
  }
  for (const item of items) {
    if (!isRawObject(item)) {
      throw unexpectedShape(service, `"${key}" holds a non-object item`);
    }
  }
  return items as RawObject[];
}

/** A non-empty string field, or null when absent/empty. */
export function optionalString(value: RawObject, key: string): string | null {
  const field = value[key];
  return typeof field === "string" && field !== "" ? field : null;
}
