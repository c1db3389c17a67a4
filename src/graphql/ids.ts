import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the lower-case UUID, or null when the text is not one; for raw ids such as batch ids. */
export function parseUuid(text: string): string | null {
  return uuidPattern.test(text) ? text.toLowerCase() : null;
}

/**
 * Decodes a Relay global ID of the expected type into the database id. Returns null for
 * malformed IDs and IDs of another type.
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

function invalidArgument(argument: string, message: string): GraphQLError {
  return new GraphQLError(`Argument "${argument}" ${message}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * Decodes the global ID given in `argument`, or throws BAD_USER_INPUT when it is malformed or
 * of another type. The caller returns not found for a well-formed ID that names no visible
 * row, so IDs of other organizations look like unknown ones.
 */
export function requireId(value: string | number, typename: string, argument: string): string {
  const id = decodeId(String(value), typename);
  if (!id) throw invalidArgument(argument, `is not a ${typename} ID; pass the id field of a ${typename}.`);
  return id;
}

/** Parses the raw UUID given in `argument` (such as HrisExportBatch.id), or throws BAD_USER_INPUT. */
export function requireUuid(value: string | number, typename: string, argument: string): string {
  const id = parseUuid(String(value));
  if (!id) throw invalidArgument(argument, `is not a ${typename} id (a UUID); pass the id field of a ${typename}.`);
  return id;
}
