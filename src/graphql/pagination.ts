import { cursorToOffset } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';

/** Nodes per connection page: `defaultSize` without `first` or `last`, at most `maxSize`. */
export const pageSize = { defaultSize: 20, maxSize: 100 } as const;

/**
 * Checks the paging arguments of a connection field before Pothos reads them. Pothos would
 * cap a `first` over the maximum silently and reports a foreign cursor as "Invalid base64
 * string" without naming the argument, so both are rejected here with the argument's name.
 */
export function checkConnectionArguments(args: { first?: number | null; last?: number | null; after?: string | null; before?: string | null }): void {
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size == null) continue;
    if (size < 0 || size > pageSize.maxSize) {
      throw new GraphQLError(`Argument "${name}" is ${size}; it must be from 0 to ${pageSize.maxSize}. Fetch further pages with "after" and pageInfo.endCursor.`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  }
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
