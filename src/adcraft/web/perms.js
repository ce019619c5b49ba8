// What the signed-in person may do, from /me: views hide or disable the controls of actions
// their role lacks (the server refuses them anyway, with 403 naming the permission).
import { t } from './i18n.js';

let me = null;

export function setMe(value) {
  me = value;
}

/** Whether the caller's role grants `permission` (read, comment, submit, approve, edit, manage). */
export function can(permission) {
  return Boolean(me && Array.isArray(me.permissions) && me.permissions.includes(permission));
}

/** The caller's role in words ("API key" for a key exchanged for a session). */
export function roleName() {
  if (!me) return '';
  return me.user_id ? t(`role.${me.role}`) : t('role.key');
}
