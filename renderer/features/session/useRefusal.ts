// Hooks for role-aware controls (issue #13): the caller's role, and why a method is not allowed for it
// (null when it is). Components hide or disable the control and show the reason.

import type { MethodName, Role } from '../../../core/api/index.js';
import { refusal } from '../../api/permissions.js';
import { useSessionStore } from '../../stores/useSessionStore.js';

/** The caller's role; null while unknown (a local study answers 'admin'). */
export function useRole(): Role | null {
  return useSessionStore((s) => s.caller?.role ?? null);
}

/** Why the caller may not call `method`, in words; null when it may. */
export function useRefusal(method: MethodName): string | null {
  return refusal(method, useRole());
}
