import { loadConfig } from '../config/load.js';
import { startServer } from '../server.js';
import type { CliIo } from './io.js';

/** `inpracsys serve`: serve until SIGINT/SIGTERM, then finish in-flight requests and close the database. */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const config = loadConfig(args, io.env);
  const server = await startServer(config);
  io.out(`InPracSys EHR Server ${server.context.version}`);
  io.out(`FHIR base: ${server.urls.fhirBase}`);
  io.out(`Admin: ${server.urls.admin}`);
  io.out(`CA fingerprint (SHA-256): ${server.tls.caFingerprint256}`);
  if (server.urls.setup) io.out(`Create the first administrator (one-time link): ${server.urls.setup}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  server.context.log.info({ signal }, 'stopping');
  await server.close();
  return 0;
}
