import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { fhirRegistry } from '../definitions/registry.js';
import { restResources, systemSearchParams } from './rest-resources.js';

let resources: Record<string, unknown>[] | undefined;

/** `GET /metadata`: the server's CapabilityStatement (no token needed), generated from the R4 registry. */
export function capabilityStatement(ctx: AppContext): Record<string, unknown> {
  const urls = ctx.urls();
  resources ??= restResources(fhirRegistry());
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: ctx.startedAt.toISOString(),
    publisher: ctx.settings.get().practiceName,
    kind: 'instance',
    software: { name: 'InPracSys EHR Server', version: ctx.version },
    implementation: { description: `${ctx.settings.get().practiceName} FHIR API`, url: urls.fhirBase },
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    fhirVersion: '4.0.1',
    format: ['json'],
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: `${urls.issuer}/authorize` },
                { url: 'token', valueUri: `${urls.issuer}/token` },
                { url: 'register', valueUri: `${urls.issuer}/register` },
                { url: 'revoke', valueUri: `${urls.issuer}/revoke` },
                { url: 'introspect', valueUri: `${urls.issuer}/introspect` },
                { url: 'manage', valueUri: `${urls.issuer}/manage` },
              ],
            },
          ],
        },
        resource: resources,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }, { code: 'history-system' }],
        searchParam: systemSearchParams,
        operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }],
      },
    ],
  };
}

export function metadataHandler(ctx: AppContext) {
  // the statement is large (every type with its parameters); serialize it again only when the site changes
  let cached: { key: string; body: string } | undefined;
  return (_req: Request, res: Response) => {
    const key = `${ctx.urls().fhirBase}\u0000${ctx.settings.get().practiceName}`;
    if (cached?.key !== key) cached = { key, body: JSON.stringify(capabilityStatement(ctx)) };
    res.type('application/fhir+json').send(cached.body);
  };
}
