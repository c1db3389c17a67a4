/**
 * A GraphQL document as a string that carries its result and variables types, the form
 * that `documentMode: 'string'` of GraphQL Code Generator emits. graphql-request 7 accepts
 * it like a plain string, so no GraphQL parser or graphql-tag is needed to build requests.
 *
 * Codegen's typed-document-node plugin emits the same class into each generated file;
 * typescript-graphql-request does not, so src/client/generated.ts imports this one.
 */
export class TypedDocumentString<TResult, TVariables> extends String {
  /** Type-only marker that tools read the result and variables types from; never set. */
  declare readonly __apiType?: (variables: TVariables) => TResult;
  /** Codegen metadata, such as the fragment name of a fragment document. */
  readonly __meta__: Record<string, unknown> | undefined;
  readonly #value: string;

  constructor(value: string, meta?: Record<string, unknown>) {
    super(value);
    this.#value = value;
    this.__meta__ = meta;
  }

  override toString(): string {
    return this.#value;
  }
}
