/** Code tables (LOINC, SNOMED CT, RxNorm, CVX, UCUM) with their displays, for synthetic records. */

export const system = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  ucum: 'http://unitsofmeasure.org',
  cpt: 'http://www.ama-assn.org/go/cpt',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  usCoreConditionCategory: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category',
  usCoreCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  raceEthnicity: 'urn:oid:2.16.840.1.113883.6.238',
  language: 'urn:ietf:bcp:47',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  nullFlavor: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  nucc: 'http://nucc.org/provider-taxonomy',
  carePlanCategory: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category',
  documentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  provenanceParticipant: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  usCoreProvenanceParticipant: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type',
  paymentTypology: 'https://nahdo.org/sopt',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  medicationRequestCategory: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  locationType: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  tribalEntity: 'http://terminology.hl7.org/CodeSystem/v3-TribalEntityUS',
  odh: 'http://terminology.hl7.org/CodeSystem/PHOccupationalDataForHealthODH',
  medicationDispenseType: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  immunizationStatusReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
} as const;

export interface Code {
  system: string;
  code: string;
  display: string;
}

const loinc = (code: string, display: string): Code => ({ system: system.loinc, code, display });
const snomed = (code: string, display: string): Code => ({ system: system.snomed, code, display });
const rxnorm = (code: string, display: string): Code => ({ system: system.rxnorm, code, display });
const cvx = (code: string, display: string): Code => ({ system: system.cvx, code, display });

/** A measured quantity: its LOINC code, UCUM unit and a plausible range. */
export interface Measure {
  code: Code;
  unit: string;
  low: number;
  high: number;
  digits: number;
}

export const vitalSign = {
  bloodPressure: loinc('85354-9', 'Blood pressure panel with all children optional'),
  systolic: loinc('8480-6', 'Systolic blood pressure'),
  diastolic: loinc('8462-4', 'Diastolic blood pressure'),
  averageBloodPressure: loinc('96607-7', 'Blood pressure panel mean systolic and mean diastolic'),
  averageSystolic: loinc('96608-5', 'Systolic blood pressure mean'),
  averageDiastolic: loinc('96609-3', 'Diastolic blood pressure mean'),
  heartRate: loinc('8867-4', 'Heart rate'),
  respiratoryRate: loinc('9279-1', 'Respiratory rate'),
  bodyTemperature: loinc('8310-5', 'Body temperature'),
  bodyWeight: loinc('29463-7', 'Body weight'),
  bodyHeight: loinc('8302-2', 'Body height'),
  bmi: loinc('39156-5', 'Body mass index (BMI) [Ratio]'),
  pulseOximetry: loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
  oxygenSaturation: loinc('2708-6', 'Oxygen saturation in Arterial blood'),
  inhaledOxygenFlowRate: loinc('3151-8', 'Inhaled oxygen flow rate'),
  inhaledOxygenConcentration: loinc('3150-0', 'Inhaled oxygen concentration'),
  headCircumference: loinc('9843-4', 'Head Occipital-frontal circumference'),
  headCircumferencePercentile: loinc('8289-1', 'Head Occipital-frontal circumference Percentile'),
  weightForLength: loinc('77606-2', 'Weight-for-length Per age and sex'),
  bmiForAge: loinc('59576-9', 'Body mass index (BMI) [Percentile] Per age and sex'),
} as const;

export interface LabPanel {
  code: Code;
  specimen: Code;
  results: readonly Measure[];
}

const lab = (code: string, display: string, unit: string, low: number, high: number, digits = 1): Measure => ({
  code: loinc(code, display),
  unit,
  low,
  high,
  digits,
});

export const labPanels: readonly LabPanel[] = [
  {
    code: loinc('58410-2', 'CBC panel - Blood by Automated count'),
    specimen: snomed('119297000', 'Blood specimen'),
    results: [
      lab('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 4.5, 11),
      lab('789-8', 'Erythrocytes [#/volume] in Blood by Automated count', '10*6/uL', 4.2, 5.9, 2),
      lab('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 12, 17.5),
      lab('4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 36, 50),
      lab('787-2', 'MCV [Entitic volume] by Automated count', 'fL', 80, 100),
      lab('785-6', 'MCH [Entitic mass] by Automated count', 'pg', 27, 33),
      lab('786-4', 'MCHC [Mass/volume] by Automated count', 'g/dL', 32, 36),
      lab('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 150, 400, 0),
    ],
  },
  {
    code: loinc('51990-0', 'Basic metabolic panel - Blood'),
    specimen: snomed('119364003', 'Serum specimen'),
    results: [
      lab('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 70, 99, 0),
      lab('3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'mg/dL', 7, 20, 0),
      lab('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 0.6, 1.3, 2),
      lab('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'mg/dL', 8.6, 10.3),
      lab('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 136, 145, 0),
      lab('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 3.5, 5.1),
      lab('2075-0', 'Chloride [Moles/volume] in Serum or Plasma', 'mmol/L', 98, 107, 0),
      lab('2028-9', 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'mmol/L', 22, 29, 0),
    ],
  },
  {
    code: loinc('57698-3', 'Lipid panel with direct LDL - Serum or Plasma'),
    specimen: snomed('119364003', 'Serum specimen'),
    results: [
      lab('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 125, 200, 0),
      lab('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', 50, 150, 0),
      lab('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 40, 80, 0),
      lab('18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'mg/dL', 50, 130, 0),
    ],
  },
  {
    code: loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
    specimen: snomed('119297000', 'Blood specimen'),
    results: [lab('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 4.5, 6.4)],
  },
  {
    code: loinc('24356-8', 'Urinalysis complete panel - Urine'),
    specimen: snomed('122575003', 'Urine specimen'),
    results: [
      lab('5811-5', 'Specific gravity of Urine by Test strip', '{SG}', 1.005, 1.03, 3),
      lab('5803-2', 'pH of Urine by Test strip', '[pH]', 5, 8),
      lab('5818-0', 'Urobilinogen [Mass/volume] in Urine by Test strip', 'mg/dL', 0.2, 1),
    ],
  },
];

export interface Problem {
  code: Code;
  /** Youngest age (years) at which it is plausible. */
  minAge: number;
  chronic: boolean;
}

export const problems: readonly Problem[] = [
  { code: snomed('38341003', 'Hypertensive disorder, systemic arterial (disorder)'), minAge: 30, chronic: true },
  { code: snomed('44054006', 'Diabetes mellitus type 2 (disorder)'), minAge: 30, chronic: true },
  { code: snomed('55822004', 'Hyperlipidemia (disorder)'), minAge: 30, chronic: true },
  { code: snomed('195967001', 'Asthma (disorder)'), minAge: 3, chronic: true },
  { code: snomed('35489007', 'Depressive disorder (disorder)'), minAge: 12, chronic: true },
  { code: snomed('197480006', 'Anxiety disorder (disorder)'), minAge: 10, chronic: true },
  { code: snomed('40055000', 'Chronic sinusitis (disorder)'), minAge: 5, chronic: true },
  { code: snomed('239873007', 'Osteoarthritis of knee (disorder)'), minAge: 45, chronic: true },
  { code: snomed('162864005', 'Body mass index 30+ - obesity (finding)'), minAge: 18, chronic: true },
  { code: snomed('235595009', 'Gastroesophageal reflux disease (disorder)'), minAge: 18, chronic: true },
  { code: snomed('13645005', 'Chronic obstructive lung disease (disorder)'), minAge: 45, chronic: true },
  { code: snomed('49436004', 'Atrial fibrillation (disorder)'), minAge: 55, chronic: true },
  { code: snomed('431855005', 'Chronic kidney disease stage 1 (disorder)'), minAge: 40, chronic: true },
  { code: snomed('24700007', 'Multiple sclerosis (disorder)'), minAge: 20, chronic: true },
];

/** Health concerns and social needs, recorded with the `health-concern` category. */
export const healthConcerns: readonly Code[] = [
  snomed('73595000', 'Stress (finding)'),
  snomed('160903007', 'Lives alone (finding)'),
  snomed('733423003', 'Food insecurity (finding)'),
  snomed('10939881000119105', 'Unhealthy alcohol drinking behavior (finding)'),
];

export const acuteDiagnoses: readonly Code[] = [
  snomed('444814009', 'Viral sinusitis (disorder)'),
  snomed('195662009', 'Acute viral pharyngitis (disorder)'),
  snomed('10509002', 'Acute bronchitis (disorder)'),
  snomed('65363002', 'Otitis media (disorder)'),
  snomed('68566005', 'Urinary tract infectious disease (disorder)'),
  snomed('283371005', 'Laceration of forearm (disorder)'),
  snomed('44465007', 'Sprain of ankle (disorder)'),
  snomed('36971009', 'Sinusitis (disorder)'),
  snomed('43878008', 'Streptococcal sore throat (disorder)'),
  snomed('40275004', 'Contact dermatitis (disorder)'),
];

export interface EncounterKind {
  type: Code;
  classCode: 'AMB' | 'EMER' | 'IMP' | 'VR';
  classDisplay: string;
  minutes: number;
  /** Relative weight among encounter kinds. */
  weight: number;
}

export const encounterKinds: readonly EncounterKind[] = [
  { type: snomed('185349003', 'Encounter for check up (procedure)'), classCode: 'AMB', classDisplay: 'ambulatory', minutes: 30, weight: 8 },
  { type: snomed('390906007', 'Follow-up encounter (procedure)'), classCode: 'AMB', classDisplay: 'ambulatory', minutes: 20, weight: 6 },
  { type: snomed('185345009', 'Encounter for symptom (procedure)'), classCode: 'AMB', classDisplay: 'ambulatory', minutes: 20, weight: 5 },
  { type: snomed('448337001', 'Telemedicine consultation with patient (procedure)'), classCode: 'VR', classDisplay: 'virtual', minutes: 15, weight: 2 },
  { type: snomed('50849002', 'Emergency room admission (procedure)'), classCode: 'EMER', classDisplay: 'emergency', minutes: 240, weight: 1 },
  { type: snomed('32485007', 'Hospital admission (procedure)'), classCode: 'IMP', classDisplay: 'inpatient encounter', minutes: 4320, weight: 0.3 },
];

export const dischargeDispositions: readonly Code[] = [
  { system: system.dischargeDisposition, code: 'home', display: 'Home' },
  { system: system.dischargeDisposition, code: 'snf', display: 'Skilled nursing facility' },
  { system: system.dischargeDisposition, code: 'hosp', display: 'Hospice' },
];

export interface Allergy {
  code: Code;
  category: 'food' | 'medication' | 'environment';
}

export const allergies: readonly Allergy[] = [
  { code: rxnorm('7980', 'Penicillin G'), category: 'medication' },
  { code: rxnorm('2670', 'Codeine'), category: 'medication' },
  { code: rxnorm('10831', 'Sulfamethoxazole / Trimethoprim'), category: 'medication' },
  { code: snomed('91935009', 'Allergy to peanut (finding)'), category: 'food' },
  { code: snomed('300913006', 'Shellfish allergy (finding)'), category: 'food' },
  { code: snomed('419474003', 'Allergy to mould (finding)'), category: 'environment' },
  { code: snomed('232350006', 'House dust mite allergy (finding)'), category: 'environment' },
  { code: snomed('418689008', 'Allergy to grass pollen (finding)'), category: 'environment' },
];

export const reactions: readonly Code[] = [
  snomed('247472004', 'Wheal (finding)'),
  snomed('271807003', 'Eruption of skin (disorder)'),
  snomed('39579001', 'Anaphylaxis (disorder)'),
  snomed('49727002', 'Cough (finding)'),
  snomed('422587007', 'Nausea (finding)'),
];

export interface Vaccine {
  code: Code;
  /** Age range in years at which it is given. */
  minAge: number;
  maxAge: number;
}

export const vaccines: readonly Vaccine[] = [
  { code: cvx('08', 'Hep B, adolescent or pediatric'), minAge: 0, maxAge: 1 },
  { code: cvx('20', 'DTaP'), minAge: 0, maxAge: 6 },
  { code: cvx('10', 'IPV'), minAge: 0, maxAge: 6 },
  { code: cvx('03', 'MMR'), minAge: 1, maxAge: 6 },
  { code: cvx('21', 'varicella'), minAge: 1, maxAge: 12 },
  { code: cvx('62', 'HPV, quadrivalent'), minAge: 9, maxAge: 26 },
  { code: cvx('115', 'Tdap'), minAge: 11, maxAge: 120 },
  { code: cvx('140', 'Influenza, seasonal, injectable, preservative free'), minAge: 0, maxAge: 120 },
  { code: cvx('208', 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose'), minAge: 12, maxAge: 120 },
  { code: cvx('33', 'pneumococcal polysaccharide PPV23'), minAge: 65, maxAge: 120 },
  { code: cvx('187', 'zoster recombinant'), minAge: 50, maxAge: 120 },
];

export interface Drug {
  code: Code;
  doseValue: number;
  /** A UCUM annotation: `{tbl}`, `{capsule}` or `{puff}`. */
  doseUnit: '{tbl}' | '{capsule}' | '{puff}';
  timesPerDay: number;
  text: string;
  minAge: number;
}

export const drugs: readonly Drug[] = [
  { code: rxnorm('314076', 'lisinopril 10 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 1, text: 'Take 1 tablet by mouth once daily', minAge: 18 },
  { code: rxnorm('861007', 'metformin hydrochloride 500 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 2, text: 'Take 1 tablet by mouth twice daily with meals', minAge: 18 },
  { code: rxnorm('617312', 'atorvastatin 10 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 1, text: 'Take 1 tablet by mouth at bedtime', minAge: 18 },
  { code: rxnorm('197361', 'amlodipine 5 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 1, text: 'Take 1 tablet by mouth once daily', minAge: 18 },
  { code: rxnorm('310965', 'ibuprofen 200 MG Oral Tablet'), doseValue: 2, doseUnit: '{tbl}', timesPerDay: 3, text: 'Take 2 tablets by mouth every 8 hours as needed for pain', minAge: 12 },
  { code: rxnorm('313782', 'acetaminophen 325 MG Oral Tablet'), doseValue: 2, doseUnit: '{tbl}', timesPerDay: 4, text: 'Take 2 tablets by mouth every 6 hours as needed', minAge: 12 },
  { code: rxnorm('308182', 'amoxicillin 250 MG Oral Capsule'), doseValue: 1, doseUnit: '{capsule}', timesPerDay: 3, text: 'Take 1 capsule by mouth three times daily for 10 days', minAge: 0 },
  { code: rxnorm('895994', '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler'), doseValue: 2, doseUnit: '{puff}', timesPerDay: 2, text: 'Inhale 2 puffs twice daily', minAge: 4 },
  { code: rxnorm('745679', '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'), doseValue: 2, doseUnit: '{puff}', timesPerDay: 4, text: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing', minAge: 4 },
  { code: rxnorm('312961', 'simvastatin 20 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 1, text: 'Take 1 tablet by mouth in the evening', minAge: 18 },
  { code: rxnorm('310798', 'hydrochlorothiazide 25 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 1, text: 'Take 1 tablet by mouth every morning', minAge: 18 },
  { code: rxnorm('312940', 'sertraline 50 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 1, text: 'Take 1 tablet by mouth once daily', minAge: 12 },
  { code: rxnorm('198211', 'simvastatin 40 MG Oral Tablet'), doseValue: 1, doseUnit: '{tbl}', timesPerDay: 1, text: 'Take 1 tablet by mouth in the evening', minAge: 18 },
];

/** How a dose unit reads to people. */
export const doseUnitNames: Record<Drug['doseUnit'], string> = { '{tbl}': 'tablet', '{capsule}': 'capsule', '{puff}': 'puff' };

export const procedures: readonly Code[] = [
  snomed('73761001', 'Colonoscopy (procedure)'),
  snomed('80146002', 'Excision of appendix (procedure)'),
  snomed('288086009', 'Suture open wound (procedure)'),
  snomed('268556000', 'Urine screening for glucose (procedure)'),
  snomed('430193006', 'Medication reconciliation (procedure)'),
  snomed('710824005', 'Assessment of health and social care needs (procedure)'),
  snomed('171207006', 'Depression screening (procedure)'),
  snomed('252160004', 'Standard pregnancy test (procedure)'),
  snomed('29303009', 'Electrocardiographic procedure (procedure)'),
  snomed('399208008', 'Plain chest X-ray (procedure)'),
];

export interface NoteKind {
  type: Code;
  text: string;
}

export const clinicalNotes: readonly NoteKind[] = [
  { type: loinc('11506-3', 'Progress note'), text: 'Patient seen for follow-up. Vital signs reviewed. Plan discussed and agreed.' },
  { type: loinc('34117-2', 'History and physical note'), text: 'History and physical examination. No acute distress. See problem list.' },
  { type: loinc('11488-4', 'Consult note'), text: 'Consultation requested by primary care. Findings and recommendations below.' },
  { type: loinc('18842-5', 'Discharge summary'), text: 'Admitted for observation, treated and discharged home in stable condition.' },
];

export interface ImagingStudy {
  category: Code;
  code: Code;
  finding: Code;
  text: string;
}

/** Reports written as notes (imaging, cardiology), each with one coded finding. */
export const noteReports: readonly ImagingStudy[] = [
  {
    category: loinc('LP29684-5', 'Radiology'),
    code: loinc('36643-5', 'XR Chest 2 Views'),
    finding: snomed('168734001', 'Standard chest X-ray normal (finding)'),
    text: 'Lungs are clear. No pleural effusion. Heart size normal.',
  },
  {
    category: loinc('LP29684-5', 'Radiology'),
    code: loinc('30746-2', 'Portable XR Chest Views'),
    finding: snomed('168734001', 'Standard chest X-ray normal (finding)'),
    text: 'No acute cardiopulmonary process.',
  },
  {
    category: loinc('LP29708-2', 'Cardiology'),
    code: loinc('11524-6', 'EKG study'),
    finding: snomed('251146004', 'Normal sinus rhythm (finding)'),
    text: 'Normal sinus rhythm. No ST changes.',
  },
];

export const smokingStatuses: readonly Code[] = [
  snomed('266919005', 'Never smoked tobacco (finding)'),
  snomed('8517006', 'Ex-smoker (finding)'),
  snomed('449868002', 'Smokes tobacco daily (finding)'),
  snomed('428041000124106', 'Occasional tobacco smoker (finding)'),
];

export const sexualOrientations: readonly Code[] = [
  snomed('20430005', 'Heterosexual (finding)'),
  snomed('38628009', 'Homosexual (finding)'),
  snomed('42035005', 'Bisexual (finding)'),
  { system: system.nullFlavor, code: 'UNK', display: 'Unknown' },
];

export const pregnancyStatuses: readonly Code[] = [
  snomed('60001007', 'Not pregnant (finding)'),
  snomed('77386006', 'Pregnant (finding)'),
  { system: system.nullFlavor, code: 'UNK', display: 'Unknown' },
];

export const pregnancyIntents: readonly Code[] = [
  snomed('454381000124105', 'Not sure of desire to become pregnant (finding)'),
  snomed('454391000124108', 'Does not wish to become pregnant (finding)'),
  snomed('454411000124108', 'Wants to become pregnant (finding)'),
];

export interface Occupation {
  occupation: Code;
  industry: Code;
}

export const occupations: readonly Occupation[] = [
  {
    occupation: { system: system.odh, code: '31-1014.00.007136', display: 'Certified Nursing Assistant (CNA) [Nursing Assistants]' },
    industry: { system: system.odh, code: '621610.008495', display: 'Home nursing services' },
  },
];

/** PHQ-2 questions and their answers (LOINC answer list LL358-3). */
export const phq2 = {
  panel: loinc('55757-9', 'Patient Health Questionnaire 2 item (PHQ-2) [Reported]'),
  total: loinc('55758-7', 'Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]'),
  questionnaire: 'http://loinc.org/q/55757-9',
  items: [
    loinc('44250-9', 'Little interest or pleasure in doing things in last 2 weeks'),
    loinc('44255-8', 'Feeling down, depressed, or hopeless in last 2 weeks'),
  ],
  answers: [
    { code: loinc('LA6568-5', 'Not at all'), score: 0 },
    { code: loinc('LA6569-3', 'Several days'), score: 1 },
    { code: loinc('LA6570-1', 'More than half the days'), score: 2 },
    { code: loinc('LA6571-9', 'Nearly every day'), score: 3 },
  ],
} as const;

export const functionalStatuses: readonly Code[] = [
  snomed('129035000', 'Independent with dressing (finding)'),
  snomed('165245003', 'Able to walk (finding)'),
  snomed('285035003', 'Able to climb stairs (finding)'),
];

export const implants: readonly Code[] = [
  snomed('468063009', 'Coated femoral stem prosthesis, modular'),
  snomed('72506001', 'Implantable defibrillator, device (physical object)'),
  snomed('14106009', 'Cardiac pacemaker, device (physical object)'),
];

/** Goals: a coded description where SNOMED CT has a fitting concept, text otherwise. */
export const goals: readonly { code?: Code; text: string }[] = [
  { code: snomed('289169006', 'Weight loss (finding)'), text: 'Lose 5% of body weight' },
  { text: 'Keep blood pressure below 140/90 mm[Hg]' },
  { text: 'Walk 30 minutes five days a week' },
  { text: 'Keep hemoglobin A1c below 7%' },
];

export const careTeamRoles = {
  primaryCare: snomed('446050000', 'Primary care physician (occupation)'),
  nurse: snomed('224535009', 'Registered nurse (occupation)'),
  patient: snomed('116154003', 'Patient (person)'),
  caregiver: snomed('133932002', 'Caregiver (person)'),
};

export const raceCategories: readonly Code[] = [
  { system: system.raceEthnicity, code: '2106-3', display: 'White' },
  { system: system.raceEthnicity, code: '2054-5', display: 'Black or African American' },
  { system: system.raceEthnicity, code: '2028-9', display: 'Asian' },
  { system: system.raceEthnicity, code: '1002-5', display: 'American Indian or Alaska Native' },
  { system: system.raceEthnicity, code: '2076-8', display: 'Native Hawaiian or Other Pacific Islander' },
];

export const ethnicityCategories: readonly Code[] = [
  { system: system.raceEthnicity, code: '2186-5', display: 'Not Hispanic or Latino' },
  { system: system.raceEthnicity, code: '2135-2', display: 'Hispanic or Latino' },
];

export const detailedEthnicities: readonly Code[] = [
  { system: system.raceEthnicity, code: '2148-5', display: 'Mexican' },
  { system: system.raceEthnicity, code: '2180-8', display: 'Puerto Rican' },
  { system: system.raceEthnicity, code: '2184-0', display: 'Dominican' },
];

export const languages: readonly Code[] = [
  { system: system.language, code: 'en', display: 'English' },
  { system: system.language, code: 'es', display: 'Spanish' },
  { system: system.language, code: 'vi', display: 'Vietnamese' },
  { system: system.language, code: 'zh', display: 'Chinese' },
];

export const tribes: readonly Code[] = [
  { system: system.tribalEntity, code: '187', display: 'Paiute-Shoshone Tribe of the Fallon Reservation and Colony, Nevada' },
  { system: system.tribalEntity, code: '91', display: 'Navajo Nation, Arizona, New Mexico & Utah' },
];

export const relationships: readonly Code[] = [
  { system: system.roleCode, code: 'MTH', display: 'mother' },
  { system: system.roleCode, code: 'FTH', display: 'father' },
  { system: system.roleCode, code: 'SPS', display: 'spouse' },
  { system: system.roleCode, code: 'DAU', display: 'natural daughter' },
  { system: system.roleCode, code: 'SON', display: 'natural son' },
];

export const paymentTypes: readonly Code[] = [
  { system: system.paymentTypology, code: '1', display: 'MEDICARE' },
  { system: system.paymentTypology, code: '2', display: 'MEDICAID' },
  { system: system.paymentTypology, code: '5', display: 'PRIVATE HEALTH INSURANCE' },
];

export const specialties = {
  familyMedicine: { system: system.nucc, code: '207Q00000X', display: 'Family Medicine Physician' },
  internalMedicine: { system: system.nucc, code: '207R00000X', display: 'Internal Medicine Physician' },
  pediatrics: { system: system.nucc, code: '208000000X', display: 'Pediatrics Physician' },
  nursePractitioner: { system: system.nucc, code: '363LF0000X', display: 'Family Nurse Practitioner' },
};

export const serviceRequestCategories = {
  laboratory: snomed('108252007', 'Laboratory procedure'),
  imaging: snomed('363679005', 'Imaging'),
  diagnostic: snomed('103693007', 'Diagnostic procedure'),
};

export const specimenConditions: readonly Code[] = [
  { system: 'http://terminology.hl7.org/CodeSystem/v2-0493', code: 'ROOM', display: 'Room temperature' },
  { system: 'http://terminology.hl7.org/CodeSystem/v2-0493', code: 'COOL', display: 'Cool' },
];

export const venipunctureSites: readonly Code[] = [
  snomed('368208006', 'Left upper arm structure (body structure)'),
  snomed('368209003', 'Right upper arm structure (body structure)'),
];

export const partialNonCompliance = snomed('275928001', 'Drugs - partial non-compliance (finding)');

export const dataAbsentReasonSystem = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
