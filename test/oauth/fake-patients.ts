import type { PatientDirectory, PatientSummary } from '../../server/src/smart/patient-directory.js';

/** Stands in for the FHIR store's patients in tests of the OAuth flows. */
export function fakePatientDirectory(patients: PatientSummary[]): PatientDirectory {
  return {
    search: async (query) => patients.filter((p) => !query || p.name.toLowerCase().includes(query.toLowerCase())),
    get: async (id) => patients.find((p) => p.id === id) ?? null,
    resource: async (id) => {
      const p = patients.find((candidate) => candidate.id === id);
      return p ? { resourceType: 'Patient', id: p.id, name: [{ text: p.name }], ...(p.birthDate ? { birthDate: p.birthDate } : {}) } : null;
    },
  };
}
