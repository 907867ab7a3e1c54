import { tokenHash } from '../secrets.js';
import { AuthorizeRedirectError, type Check } from './types.js';

/**
 * EHR launch: a `launch` value must be one this server issued for this client, unused and
 * unexpired; it is consumed here, so a second use is refused. The `launch` scope needs one.
 */
export const checkLaunch: Check = async (state) => {
  const value = state.params.launch;
  const wantsLaunch = state.scopes!.has('launch');
  if (!value) {
    if (wantsLaunch) throw new AuthorizeRedirectError('invalid_request', 'the launch scope needs a launch parameter from the EHR');
    return;
  }
  if (!wantsLaunch) throw new AuthorizeRedirectError('invalid_scope', 'a launch parameter needs the launch scope');
  const hash = tokenHash(value);
  const launch = await state.services.launches.get(hash);
  if (!launch || launch.clientId !== state.client!.clientId || launch.expiresAt.getTime() <= Date.now() || launch.usedAt) {
    throw new AuthorizeRedirectError('invalid_request', 'the launch is unknown, expired or already used');
  }
  if (!(await state.services.launches.consume(hash))) throw new AuthorizeRedirectError('invalid_request', 'the launch is unknown, expired or already used');
  state.launch = launch;
};
