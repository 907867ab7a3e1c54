import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';

/** `GET /metadata`: the server's CapabilityStatement (no token needed). */
export function capabilityStatement(ctx: AppContext): Record<string, unknown> {
  const urls = ctx.urls();
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: ctx.startedAt.toISOString(),
    publisher: ctx.settings.get().practiceName,
    kind: 'instance',
    software: { name: 'InPracSys EHR Server', version: ctx.version },
    implementation: { description: `${ctx.settings.get().practiceName} FHIR API`, url: urls.fhirBase },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{ mode: 'server' }],
  };
}

export function metadataHandler(ctx: AppContext) {
  return (_req: Request, res: Response) => {
    res.type('application/fhir+json').send(JSON.stringify(capabilityStatement(ctx)));
  };
}
