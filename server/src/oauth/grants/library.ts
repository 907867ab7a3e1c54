import { createRequire } from 'node:module';
import type OAuth2Server from '@node-oauth/oauth2-server';

/**
 * The library's built-in grant classes, for subclassing. They are not exported from the
 * package index, so they are loaded by path (the package has no `exports` map).
 */
const require = createRequire(import.meta.url);

export interface LibraryGrant {
  handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token>;
}

type GrantClass = new (options: OAuth2Server.TokenOptions & { model: unknown }) => LibraryGrant;

export const LibraryAuthorizationCodeGrant = require('@node-oauth/oauth2-server/lib/grant-types/authorization-code-grant-type.js') as GrantClass;
export const LibraryRefreshTokenGrant = require('@node-oauth/oauth2-server/lib/grant-types/refresh-token-grant-type.js') as GrantClass;
