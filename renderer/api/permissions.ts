// What the caller's role may do, from the contract's method table (METHODS[m].roles, issue #13): the app
// hides or disables a control whose method the role may not call, and says why in words. The server
// enforces the same table (FORBIDDEN); this only keeps the reader from trying.

import { METHODS, type MethodName, type Role } from '../../core/api/index.js';
import { useSessionStore } from '../stores/useSessionStore.js';

/** True when `role` may call `method`; a null role (local study, older server) may call everything. */
export function mayCall(method: MethodName, role: Role | null): boolean {
  return role === null || (METHODS[method].roles as readonly Role[]).includes(role);
}

/** "researcher or admin" / "reviewer, researcher or admin". */
export function rolesInWords(roles: readonly Role[]): string {
  if (roles.length <= 1) return roles.join('');
  return `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)!}`;
}

/**
 * Why `role` may not call `method`, in words naming what the method does and the roles that may
 * ("Your role (annotator) may not start a training run: ask a researcher or admin."); null when it may.
 */
export function refusal(method: MethodName, role: Role | null): string | null {
  if (mayCall(method, role)) return null;
  const spec = METHODS[method];
  return `Your role (${role!}) may not ${spec.summary}: that needs the role ${rolesInWords(spec.roles)}.`;
}

/** refusal() for the caller this page runs as now (actions outside React: keys, drops, retries). */
export function refusalNow(method: MethodName): string | null {
  return refusal(method, useSessionStore.getState().caller?.role ?? null);
}
