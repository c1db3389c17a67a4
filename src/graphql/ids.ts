import { decodeGlobalID } from '@pothos/plugin-relay';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the lower-case UUID, or null when the text is not one; for raw ids such as batch ids. */
export function parseUuid(text: string): string | null {
  return uuidPattern.test(text) ? text.toLowerCase() : null;
}

/**
 * Decodes a Relay global ID of the expected type into the database id. Returns null for
 * malformed IDs and IDs of another type, so callers answer them like unknown ids.
 */
export function decodeId(globalId: string, typename: string): string | null {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename !== typename || !uuidPattern.test(decoded.id)) return null;
    return decoded.id.toLowerCase();
  } catch {
    return null;
  }
}
