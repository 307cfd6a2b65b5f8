// A document's storage size by Firestore's documented rules
// (https://firebase.google.com/docs/firestore/storage-size): the 1 MiB limit applies to this figure.
//   document = name size + sum(field name size + field value size) + 32
//   name     = sum(path segment string sizes) + 16;  string = UTF-8 bytes + 1
//   boolean, null = 1;  integer, double, timestamp = 8;  geopoint = 16
//   map      = sum(key string size + value size);  array = sum(element sizes)

export const FIRESTORE_MAX_DOCUMENT_BYTES = 1_048_576;

export const stringSize = (s: string) => Buffer.byteLength(s, 'utf8') + 1;

function isTimestamp(value: object): boolean {
  return typeof (value as { toMillis?: unknown }).toMillis === 'function' || value instanceof Date;
}

export function valueSize(value: unknown): number {
  if (value === null) return 1;
  switch (typeof value) {
    case 'string':
      return stringSize(value);
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 8;
    case 'object':
      if (isTimestamp(value)) return 8;
      if (Buffer.isBuffer(value)) return value.length;
      if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueSize(item), 0);
      return fieldsSize(value as Record<string, unknown>);
    default:
      // undefined is never stored (ignoreUndefinedProperties); functions and symbols cannot be.
      return 0;
  }
}

function fieldsSize(fields: Record<string, unknown>): number {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .reduce((sum, [key, v]) => sum + stringSize(key) + valueSize(v), 0);
}

export function documentSize(path: string, data: Record<string, unknown>): number {
  const name = path.split('/').reduce((sum, segment) => sum + stringSize(segment), 0) + 16;
  return name + fieldsSize(data) + 32;
}
