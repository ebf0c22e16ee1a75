import type { OfferInput } from '../modules/catalogue/index.js'

/**
 * DEQAR agency ids of the agencies the demo offers name. NVAO's is 37 in DEQAR's agency
 * register. The others could not be looked up (DEQAR is not reachable from where the demo was
 * written): they show the format only, and each offer that states one says so in its quality
 * assurance description (EXAMPLE_ID_NOTE).
 */
export const DEQAR_AGENCY_IDS = {
  nvao: { id: '37', verified: true },
  anvur: { id: '29', verified: false },
  fineec: { id: '33', verified: false },
  acquin: { id: '4', verified: false },
  madrid: { id: '51', verified: false },
} as const

export const EXAMPLE_ID_NOTE = '(the DEQAR agency id is an example, not looked up)'

/**
 * Demo offers of the demo institutions: several languages, fields and levels, some stackable,
 * internal and external quality assurance. Agency names are real; see DEQAR_AGENCY_IDS.
 */
export const DEMO_OFFERS: Array<{ institution: string; externalId: string; offer: OfferInput }> = [
  {
    institution: 'unibo.it',
    externalId: 'MC-DATA-LIT-2027',
    offer: {
      title: { en: 'Data literacy for researchers', it: 'Alfabetizzazione ai dati per la ricerca', fr: 'Littératie des données pour la recherche' },
      description: {
        en: 'Find, clean, analyse and share research data responsibly, following the FAIR principles.',
        it: 'Trovare, pulire, analizzare e condividere i dati della ricerca in modo responsabile, secondo i principi FAIR.',
        fr: 'Trouver, nettoyer, analyser et partager les données de la recherche de manière responsable, selon les principes FAIR.',
      },
      learningOutcomes: [
        { text: { en: 'Clean and document a research data set so others can reuse it', it: 'Pulire e documentare un insieme di dati perché altri possano riutilizzarlo' } },
        { text: { en: 'Write a data management plan for a research project', it: 'Redigere un piano di gestione dei dati per un progetto di ricerca' } },
      ],
      ects: 3,
      workloadHours: 75,
      eqfLevel: 7,
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_0fe2b814'], // QNQ level 7
      qfEheaCycle: 'second',
      assessments: [{ type: 'project', description: { en: 'A documented data set and a data management plan' } }],
      participation: ['online'],
      qualityAssurance: {
        type: 'internal_and_external',
        description: { en: `Reviewed under the university's internal QA system, accredited by ANVUR ${EXAMPLE_ID_NOTE}` },
        agency: { name: 'ANVUR – Agenzia Nazionale di Valutazione del Sistema Universitario e della Ricerca', deqarAgencyId: DEQAR_AGENCY_IDS.anvur.id, country: 'IT' },
        level: 'institutional',
      },
      supervision: 'supervised_online_id',
      stackability: { mode: 'stackable', towards: [{ title: { en: 'Una Europa Certificate in Data Science' } }] },
      // Co-awarded with the University of Helsinki, which has yet to confirm it (see the README).
      awardingBodies: [{ schac: 'unibo.it' }, { schac: 'helsinki.fi' }],
      issuerCountries: ['IT', 'FI'],
      iscedFields: ['0542', '0613'],
      languages: ['en', 'it'],
      startDate: '2027-02-15',
      endDate: '2027-05-15',
      applicationDeadline: '2027-01-31',
      homepage: 'https://www.unibo.it/en/study/micro-credentials',
    },
  },
  {
    institution: 'unibo.it',
    externalId: 'MC-CULT-HERITAGE',
    offer: {
      title: { it: 'Patrimonio culturale digitale', en: 'Digital cultural heritage' },
      learningOutcomes: [{ text: { it: 'Progettare la digitalizzazione di una collezione museale', en: 'Plan the digitisation of a museum collection' } }],
      ects: 6,
      workloadHours: 150,
      eqfLevel: 6,
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_8cf0774e'], // QNQ level 6
      qfEheaCycle: 'first',
      assessments: [{ type: 'portfolio' }, { type: 'oral_exam' }],
      participation: ['blended'],
      qualityAssurance: { type: 'internal', description: { it: 'Sistema di assicurazione della qualità di Ateneo' } },
      stackability: { mode: 'stand_alone' },
      iscedFields: ['0222', '0322'],
      languages: ['it', 'en'],
      homepage: 'https://www.unibo.it',
      startDate: '2027-03-01',
    },
  },
  {
    institution: 'kuleuven.be',
    externalId: 'KUL-AI-ETHICS',
    offer: {
      title: { en: 'Ethics of artificial intelligence', nl: 'Ethiek van artificiële intelligentie' },
      description: { en: 'Philosophical and legal foundations for assessing AI systems in Europe.' },
      learningOutcomes: [
        { text: { en: 'Assess an AI system against the EU AI Act\'s risk categories', nl: 'Een AI-systeem beoordelen volgens de risicocategorieën van de AI-verordening' } },
      ],
      ects: 4,
      workloadHours: 110,
      eqfLevel: 7,
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_95fec238'], // FQF (Flemish) level 7
      qfEheaCycle: 'second',
      assessments: [{ type: 'written_exam' }, { type: 'assignment' }],
      participation: ['online', 'onsite'],
      qualityAssurance: {
        type: 'internal_and_external',
        description: { en: 'KU Leuven\'s internal quality assurance system, and NVAO\'s institutional review' },
        agency: { name: 'NVAO – Accreditation Organisation of the Netherlands and Flanders', deqarAgencyId: DEQAR_AGENCY_IDS.nvao.id, country: 'NL' },
        level: 'institutional',
      },
      iscedFields: ['0223', '0613'],
      languages: ['en'],
      homepage: 'https://www.kuleuven.be',
      startDate: '2027-09-20',
    },
  },
  {
    institution: 'helsinki.fi',
    externalId: 'HY-CLIMATE-101',
    offer: {
      title: { en: 'Climate change: science and society', fi: 'Ilmastonmuutos: tiede ja yhteiskunta', sv: 'Klimatförändringen: vetenskap och samhälle' },
      learningOutcomes: [{ text: { en: 'Explain the physical basis of climate change and its social consequences', fi: 'Selittää ilmastonmuutoksen fysikaalisen perustan ja sen yhteiskunnalliset seuraukset' } }],
      ects: 2,
      workloadHours: 54,
      eqfLevel: 6,
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_8a7da315'], // FiNQF level 6
      assessments: [{ type: 'quiz' }, { type: 'peer_assessment' }],
      participation: ['online'],
      qualityAssurance: {
        type: 'internal_and_external',
        description: { en: `Audited by FINEEC ${EXAMPLE_ID_NOTE}` },
        agency: { name: 'FINEEC – Finnish Education Evaluation Centre', deqarAgencyId: DEQAR_AGENCY_IDS.fineec.id, country: 'FI' },
        level: 'institutional',
      },
      learningOpportunityType: 'mooc',
      stackability: { mode: 'stand_alone' },
      iscedFields: ['0521', '0532'],
      languages: ['en', 'fi', 'sv'],
      homepage: 'https://www.helsinki.fi',
    },
  },
  {
    institution: 'uni-tuebingen.de',
    externalId: 'UT-MEDTECH-ML',
    offer: {
      title: { de: 'Maschinelles Lernen in der Medizin', en: 'Machine learning in medicine' },
      learningOutcomes: [{ text: { de: 'Klinische Vorhersagemodelle validieren', en: 'Validate clinical prediction models' } }],
      ects: 5,
      workloadHours: 150,
      eqfLevel: 7,
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_184f7fed'], // DQR level 7
      qfEheaCycle: 'second',
      assessments: [{ type: 'project' }],
      participation: ['blended', 'research_lab'],
      qualityAssurance: {
        type: 'internal_and_external',
        description: { de: 'Systemakkreditierte Universität', en: `System-accredited university ${EXAMPLE_ID_NOTE}` },
        agency: { name: 'ACQUIN', deqarAgencyId: DEQAR_AGENCY_IDS.acquin.id, country: 'DE' },
        level: 'institutional',
      },
      prerequisites: { en: 'Basic statistics and Python programming' },
      stackability: { mode: 'stackable', towards: [{ title: { en: 'CIVIS Certificate in Digital Health' } }] },
      iscedFields: ['0912', '0613'],
      languages: ['de', 'en'],
      homepage: 'https://uni-tuebingen.de',
      startDate: '2027-04-12',
      endDate: '2027-07-23',
    },
  },
  {
    institution: 'utwente.nl',
    externalId: 'UT-CHALLENGE-ENERGY',
    offer: {
      title: { en: 'Challenge-based learning: local energy communities', nl: 'Challenge-based leren: lokale energiegemeenschappen' },
      learningOutcomes: [{ text: { en: 'Co-design an energy-sharing scheme with a local community' } }],
      ects: 5,
      workloadHours: 140,
      eqfLevel: 6,
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_1711a061'], // NLQF level 6
      qfEheaCycle: 'first',
      assessments: [{ type: 'project' }, { type: 'continuous' }],
      participation: ['project_based', 'blended'],
      qualityAssurance: { type: 'internal', description: { en: 'ECIU University quality framework' } },
      stackability: { mode: 'stand_alone' },
      iscedFields: ['0713', '0788'],
      languages: ['en'],
      homepage: 'https://www.utwente.nl',
      startDate: '2027-02-01',
    },
  },
  {
    institution: 'uc3m.es',
    externalId: 'UC3M-ENT-LAW',
    offer: {
      title: { es: 'Derecho de la empresa digital', en: 'Law of the digital enterprise' },
      learningOutcomes: [{ text: { es: 'Aplicar el RGPD a un modelo de negocio digital', en: 'Apply the GDPR to a digital business model' } }],
      ects: 3,
      workloadHours: 81,
      eqfLevel: 6,
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_6422359b'], // MECU level 6
      assessments: [{ type: 'written_exam' }],
      participation: ['online'],
      qualityAssurance: {
        type: 'external',
        description: { es: 'Verificado por la Fundación madri+d', en: `Verified by Fundación madri+d ${EXAMPLE_ID_NOTE}` },
        agency: { name: 'Fundación para el Conocimiento madri+d', deqarAgencyId: DEQAR_AGENCY_IDS.madrid.id, country: 'ES' },
        level: 'programme',
      },
      iscedFields: ['0421'],
      languages: ['es', 'en'],
      homepage: 'https://www.uc3m.es',
      startDate: '2027-10-04',
    },
  },
  {
    institution: 'ulb.be',
    externalId: 'ULB-FR-LANG-B2',
    offer: {
      title: { fr: 'Français académique (B2)', en: 'Academic French (B2)' },
      description: { fr: 'Lire, rédiger et présenter en français universitaire, niveau B2 du CECR.', en: 'Read, write and present in academic French, at CEFR level B2.' },
      learningOutcomes: [{ text: { fr: 'Rédiger un texte argumentatif académique en français', en: 'Write an academic argumentative text in French' } }],
      ects: 2.5,
      workloadHours: 70,
      eqfLevel: 'not_applicable',
      assessments: [{ type: 'written_exam' }, { type: 'oral_exam' }],
      participation: ['onsite'],
      qualityAssurance: { type: 'internal', description: { fr: 'Évaluation interne des enseignements' } },
      supervision: 'supervised_onsite_id',
      iscedFields: ['0231'],
      languages: ['fr'],
      homepage: 'https://www.ulb.be',
      startDate: '2027-09-13',
    },
  },
  {
    institution: 'kuleuven.be',
    externalId: 'KUL-DRAFT-QUANTUM',
    offer: {
      status: 'draft',
      title: { en: 'Quantum computing for engineers' },
      ects: 4,
      iscedFields: ['0533'],
      languages: ['en'],
    },
  },
]
