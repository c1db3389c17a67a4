import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * Estimates the work of one operation before it runs, with the variable values of the request,
 * so that a page size passed as `first: $first` counts like the same number written literally.
 *
 * A leaf field costs `scalarCost`. A field with a selection costs `objectCost` plus the cost of
 * its selection. A field with `first` or `last` arguments (a Relay connection) multiplies its
 * cost by the page size it returns: the argument value capped at `maxPageSize`, or
 * `defaultPageSize` when neither is given. So the cost approximates the number of fields that
 * resolve. Fragments count as if their fields were written in place. Selections on a union or
 * interface member count only the most expensive member, because one object resolves to one
 * member. Introspection fields cost 0.
 *
 * NOTE: a plain list field (such as Job.stages) counts once, because its length is not known
 * before it runs; only connections multiply.
 */
export interface CostWeights {
  scalarCost: number;
  objectCost: number;
  defaultPageSize: number;
  maxPageSize: number;
}

interface CostInput {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
  weights: CostWeights;
}

/** Returns the requested page size of a `first` or `last` argument, or null when it is not given. */
function requestedSize(node: ValueNode | undefined, input: CostInput): number | null {
  if (!node || node.kind === Kind.NULL) return null;
  const value = node.kind === Kind.INT ? Number.parseInt(node.value, 10) : node.kind === Kind.VARIABLE ? input.variables[node.name.value] : undefined;
  if (value === null || (value === undefined && node.kind === Kind.VARIABLE)) return null;
  // Any other value fails coercion when the operation runs; count it as the largest page.
  if (typeof value !== 'number' || !Number.isFinite(value)) return input.weights.maxPageSize;
  return Math.max(0, Math.min(value, input.weights.maxPageSize));
}

/** Returns the number of nodes a connection field returns for its `first` and `last` arguments. */
function pageSize(argumentNodes: readonly ArgumentNode[], input: CostInput): number {
  const sizes = ['first', 'last']
    .map((name) => requestedSize(argumentNodes.find((argument) => argument.name.value === name)?.value, input))
    .filter((size): size is number => size !== null);
  return sizes.length === 0 ? input.weights.defaultPageSize : Math.max(...sizes);
}

function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((argument) => argument.name === 'first' || argument.name === 'last');
}

function selectionSetCost(parentType: GraphQLCompositeType, selectionSet: SelectionSetNode, input: CostInput, seen: ReadonlySet<string>): number {
  const { schema, weights } = input;
  let fieldsCost = 0;
  // Branches for other types than the parent: on a union or interface, only one applies.
  let widestBranch = 0;

  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__schema' || name === '__type') continue;
      if (!selection.selectionSet) {
        fieldsCost += weights.scalarCost;
        continue;
      }
      const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
      const fieldType = field ? getNamedType(field.type) : undefined;
      const childCost = fieldType && isCompositeType(fieldType) ? selectionSetCost(fieldType, selection.selectionSet, input, seen) : 0;
      const cost = weights.objectCost + childCost;
      fieldsCost += field && isConnectionField(field) ? cost * pageSize(selection.arguments ?? [], input) : cost;
      continue;
    }

    let typeName: string | undefined;
    let childSelections: SelectionSetNode;
    let nextSeen = seen;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      typeName = selection.typeCondition?.name.value;
      childSelections = selection.selectionSet;
    } else {
      const fragment = input.fragments.get(selection.name.value);
      // Validation has already rejected unknown and cyclic fragments; this guards the recursion.
      if (!fragment || seen.has(fragment.name.value)) continue;
      typeName = fragment.typeCondition.name.value;
      childSelections = fragment.selectionSet;
      nextSeen = new Set([...seen, fragment.name.value]);
    }
    const conditionType = typeName ? schema.getType(typeName) : parentType;
    const branchType = conditionType && isCompositeType(conditionType) ? conditionType : parentType;
    const cost = selectionSetCost(branchType, childSelections, input, nextSeen);
    if (branchType === parentType) fieldsCost += cost;
    else widestBranch = Math.max(widestBranch, cost);
  }
  return fieldsCost + widestBranch;
}

/** Returns the estimated cost of the operation that a request executes. */
export function estimateOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  weights: CostWeights,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const rootTypes = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  const rootType = rootTypes[operation.operation];
  if (!rootType) return 0;
  return selectionSetCost(rootType, operation.selectionSet, { schema, fragments, variables, weights }, new Set());
}
