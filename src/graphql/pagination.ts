import { cursorToOffset } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';

/**
 * Checks the `after` and `before` cursors of a connection field before Pothos decodes them,
 * because Pothos reports a foreign cursor as "Invalid base64 string" without naming the argument.
 */
export function checkCursors(args: { after?: string | null; before?: string | null }): void {
  for (const name of ['after', 'before'] as const) {
    const cursor = args[name];
    if (cursor == null) continue;
    let offset: number;
    try {
      offset = cursorToOffset(cursor);
    } catch {
      offset = Number.NaN;
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new GraphQLError(
        `Argument "${name}" is not a cursor of this connection; pass pageInfo.endCursor, pageInfo.startCursor or an edge's cursor from a previous page.`,
        { extensions: { code: 'BAD_USER_INPUT' } },
      );
    }
  }
}
