import { isAllowedNavigation, type OwnOrigins } from './navigation.js';
import type { PermissionCheckHandler, PermissionRequestHandler } from './types.js';

/**
 * Web permissions the admin GUI may use: copying to the clipboard (API credentials, client
 * secrets), from our own pages only. Camera, location, notifications and the rest are refused.
 */
const grantable = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, ownOrigins: OwnOrigins): boolean {
  return grantable.has(permission) && isAllowedNavigation(requestingUrl, ownOrigins);
}

export function createPermissionRequestHandler(ownOrigins: OwnOrigins): PermissionRequestHandler {
  return (_webContents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, ownOrigins));
  };
}

export function createPermissionCheckHandler(ownOrigins: OwnOrigins): PermissionCheckHandler {
  return (_webContents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, ownOrigins);
}
