// The bearer token: from the sign-in link (?token=…, then removed from the address bar) or pasted, kept for this
// browser session only. The role decoded here only decides what the page offers; the service decides what is allowed.

const KEY = 'minsheng.token';

export function takeTokenFromUrl() {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return;
  sessionStorage.setItem(KEY, token.trim());
  url.searchParams.delete('token');
  history.replaceState(null, '', url.pathname + url.search + url.hash);
}

export const token = () => sessionStorage.getItem(KEY);
export const setToken = (value) => sessionStorage.setItem(KEY, value.trim());
export const clearToken = () => sessionStorage.removeItem(KEY);

const KINDS = ['office', 'viewer', 'department', 'street', 'region-office', 'region-viewer', 'reporter', 'reviewer'];

/** {role, kind, unitId, expires} from the token's payload, or null when it cannot be read. */
export function caller(value = token()) {
  try {
    const payload = value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
    const role = String(json.role ?? '');
    const [kind, unitId] = role.includes(':') ? role.split(/:(.*)/s) : [role, null];
    if (!KINDS.includes(kind)) return null;
    return { role, kind, unitId, expires: json.exp ? new Date(json.exp * 1000) : null };
  } catch {
    return null;
  }
}

/**
 * Mirrors the service's rule: a street its own cells, a department the 区本级 cells of the tasks it leads, the office all.
 * A reporter (填报) of a unit reports what that unit would: its street's cells, or its department's 区本级 cells; a
 * reviewer (审核) reviews them and never reports.
 */
export function mayReport(who, task, unitId) {
  if (!who) return false;
  if (who.kind === 'office' || who.kind === 'region-office') return true;
  if (who.kind === 'street') return who.unitId === unitId;
  if (who.kind === 'department') return unitId === 'district' && task.leadDepartment === who.unitId;
  if (who.kind === 'reporter') return actsFor(who.unitId, task, unitId);
  return false;
}

/** The unit's reviewer (审核) decides the unit's pending reports; the office decides any. */
export function mayReview(who, task, unitId) {
  if (!who) return false;
  if (who.kind === 'office' || who.kind === 'region-office') return true;
  return who.kind === 'reviewer' && actsFor(who.unitId, task, unitId);
}

/** Whether the reporter's or reviewer's unit (a street id or a department id) answers for this cell. */
const actsFor = (unit, task, unitId) => unit === unitId || (unitId === 'district' && task.leadDepartment === unit);

/** Who sees a list of pending reports to decide (a reviewer and the offices). */
export const reviews = (who) => !!who && ['reviewer', 'office', 'region-office'].includes(who.kind);

/** The lead department of the case's task (and the office) answers cases. */
export const mayRespond = (who, task) => !!who && (who.kind === 'office' || who.kind === 'region-office' || (who.kind === 'department' && task.leadDepartment === who.unitId));
