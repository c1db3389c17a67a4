import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.ts';
import { formatCalendarDate, parseCalendarDate } from '../dates.ts';

builder.scalarType('Date', {
  description: 'A calendar date without time or time zone, formatted YYYY-MM-DD.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !parseCalendarDate(value)) {
      throw new GraphQLError(`Date must be a real calendar date in YYYY-MM-DD format; got ${JSON.stringify(value)}.`);
    }
    return value;
  },
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING || !parseCalendarDate(node.value)) {
      throw new GraphQLError('Date must be a real calendar date in YYYY-MM-DD format.');
    }
    return node.value;
  },
});

builder.scalarType('DateTime', {
  description: 'A point in time, serialized as an ISO 8601 string in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string.');
    return date;
  },
});

builder.scalarType('JSON', {
  description: 'Arbitrary JSON.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

export { formatCalendarDate };
