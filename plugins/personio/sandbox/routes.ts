import type { AccessArea } from "./config-schema.ts";

/** Names of the Personio operations the sandbox serves. Faults, latency and request filters refer to them. */
export const ROUTE_NAMES = [
  "auth",
  "auth.v2.token",
  "auth.v2.revoke",
  "employees.list",
  "employees.get",
  "employees.create",
  "employees.update",
  "employees.attributes",
  "documentCategories.list",
  "documents.upload",
] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

export interface RouteDefinition {
  name: RouteName;
  method: "GET" | "POST" | "PATCH";
  pattern: RegExp;
  api: "v1" | "v2";
  /** Area right the credential needs, or null for the token endpoints. */
  right: { area: AccessArea; access: "read" | "write" } | null;
}

const EMPLOYEE_ID_PATH = /^\/v1\/company\/employees\/(?<employeeId>\d+)$/;

const ROUTES: readonly RouteDefinition[] = [
  { name: "auth", method: "POST", pattern: /^\/v1\/auth\/?$/, api: "v1", right: null },
  { name: "auth.v2.token", method: "POST", pattern: /^\/v2\/auth\/token$/, api: "v2", right: null },
  { name: "auth.v2.revoke", method: "POST", pattern: /^\/v2\/auth\/revoke$/, api: "v2", right: null },
  {
    name: "employees.attributes",
    method: "GET",
    pattern: /^\/v1\/company\/employees\/(?:attributes|custom-attributes)$/,
    api: "v1",
    right: { area: "employees", access: "read" },
  },
  {
    name: "employees.list",
    method: "GET",
    pattern: /^\/v1\/company\/employees$/,
    api: "v1",
    right: { area: "employees", access: "read" },
  },
  {
    name: "employees.create",
    method: "POST",
    pattern: /^\/v1\/company\/employees$/,
    api: "v1",
    right: { area: "employees", access: "write" },
  },
  {
    name: "employees.get",
    method: "GET",
    pattern: EMPLOYEE_ID_PATH,
    api: "v1",
    right: { area: "employees", access: "read" },
  },
  {
    name: "employees.update",
    method: "PATCH",
    pattern: EMPLOYEE_ID_PATH,
    api: "v1",
    right: { area: "employees", access: "write" },
  },
  {
    name: "documentCategories.list",
    method: "GET",
    pattern: /^\/v1\/company\/document-categories$/,
    api: "v1",
    right: { area: "documents", access: "read" },
  },
  {
    name: "documents.upload",
    method: "POST",
    pattern: /^\/v1\/company\/documents$/,
    api: "v1",
    right: { area: "documents", access: "write" },
  },
];

export type RouteMatch =
  | { kind: "match"; route: RouteDefinition; params: Record<string, string> }
  | { kind: "methodNotAllowed"; allowed: string[] }
  | { kind: "notFound" };

export function matchRoute(method: string, path: string): RouteMatch {
  const candidates = ROUTES.filter((route) => route.pattern.test(path));
  if (candidates.length === 0) {
    return { kind: "notFound" };
  }
  const route = candidates.find((candidate) => candidate.method === method);
  if (route === undefined) {
    return { kind: "methodNotAllowed", allowed: candidates.map((candidate) => candidate.method) };
  }
  const params = { ...route.pattern.exec(path)?.groups };
  return { kind: "match", route, params };
}

export function isRouteName(value: string): value is RouteName {
  return (ROUTE_NAMES as readonly string[]).includes(value);
}
