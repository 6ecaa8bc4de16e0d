/** Scenarios are JSON data, so a JSON round trip is a faithful deep copy. */
export function cloneData<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
