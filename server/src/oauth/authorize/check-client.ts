import { AuthorizePageError, type Check } from './types.js';

/** A known, enabled client that may use the authorization code flow. */
export const checkClient: Check = async (state) => {
  const clientId = state.params.client_id;
  if (!clientId) throw new AuthorizePageError('The request does not name an app (client_id is missing).');
  const client = await state.services.clients.get(clientId);
  if (!client) throw new AuthorizePageError('This app is not registered with the practice.');
  if (!client.enabled) throw new AuthorizePageError('This app has not been approved by the practice yet, or was disabled.');
  if (!client.metadata.grant_types.includes('authorization_code')) throw new AuthorizePageError('This app is not registered for sign-in.');
  state.client = client;
};
