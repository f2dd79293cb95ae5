// Type guards for parsed JSON: the one definition of "a JSON object" (not null, not an array).

/** A parsed JSON object (or any non-null, non-array object). */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is an object with keys: not null and not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
