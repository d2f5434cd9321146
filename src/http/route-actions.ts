// Which action of the permission table (src/domain/roles.ts) each route of the OpenAPI document
// performs: the route half of the permission matrix, read from the route definitions themselves
// (define-route.ts). Keys are `METHOD /api/v1/path` exactly as the OpenAPI document spells them.
// test/integration/route-matrix.test.ts walks every documented route with every role and fails
// when a route has no entry here, or an entry names no route.
// 'authenticated': any valid token, no action check (the caller's own identity, static templates).
import { API_PREFIX, API_ROUTES } from './api-routes.ts';
import { type RouteAction, routeKey } from './define-route.ts';

export type { RouteAction };

function actionTable(): Readonly<Record<string, RouteAction>> {
  const table: Record<string, RouteAction> = {};
  for (const { route, action } of API_ROUTES) {
    const key = routeKey(API_PREFIX, route);
    if (key in table) throw new Error(`${key} is defined twice`);
    table[key] = action;
  }
  return Object.freeze(table);
}

export const ROUTE_ACTIONS = actionTable();
