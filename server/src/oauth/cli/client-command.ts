import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from '../../cli/io.js';
import { oauthServices } from '../services.js';
import { openOffline, storeOptions } from './offline-context.js';

const usage = 'usage: inpracsys client list [--json] | client enable CLIENT_ID | client disable CLIENT_ID  [--data-dir D]';

/** `inpracsys client list|enable|disable` (DESIGN §8), for headless servers. */
export async function clientCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'enable' && action !== 'disable') throw new UsageError(usage);
  const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { ...storeOptions, json: { type: 'boolean' } } });
  if (action !== 'list' && positionals.length !== 1) throw new UsageError(usage);
  const { host, close } = await openOffline(values, io.env);
  try {
    const services = oauthServices(host);
    if (action === 'list') {
      const clients = await services.clients.list({});
      if (values.json) {
        io.out(JSON.stringify(clients.map((c) => ({ clientId: c.clientId, name: c.clientName, enabled: c.enabled, profile: c.profile, scope: c.scope })), null, 2));
      } else {
        for (const c of clients) io.out(`${c.clientId}\t${c.enabled ? 'enabled ' : 'disabled'}\t${c.profile}\t${c.clientName}`);
        if (clients.length === 0) io.out('no clients registered');
      }
      return 0;
    }
    const clientId = positionals[0]!;
    const client = await services.revocation.setClientEnabled(clientId, action === 'enable', { actor: 'cli' });
    if (!client) {
      io.err(`inpracsys client: no client ${clientId}`);
      return 1;
    }
    io.out(`client ${client.clientId} (${client.clientName}) ${client.enabled ? 'enabled' : 'disabled'}`);
    return 0;
  } finally {
    await close();
  }
}
