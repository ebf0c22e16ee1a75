import type { RunInput } from '../modules/catalogue/index.js'

/** The day `offset` days from `today` (YYYY-MM-DD, UTC). */
export type DayFrom = (offset: number) => string

export function daysFrom(today: Date): DayFrom {
  return (offset) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset)).toISOString().slice(0, 10)
}

/**
 * Runs of the demo offers, dated from the day the demo is seeded so that it always shows runs
 * past, under way and to come, with application windows open, closed and not yet open:
 * online and on site, free for alliance students or with fees, open to anyone, to alliance
 * students or to named institutions, some asking a language level.
 */
export function demoRuns(day: DayFrom): Array<{ institution: string; externalId: string; runId: string; run: RunInput }> {
  return [
    {
      institution: 'unibo.it',
      externalId: 'MC-DATA-LIT-2027',
      runId: 'PAST',
      run: { startDate: day(-200), endDate: day(-110), application: { opens: day(-260), closes: day(-210) }, language: 'en', mode: 'online' },
    },
    {
      institution: 'unibo.it',
      externalId: 'MC-DATA-LIT-2027',
      runId: 'NEXT',
      run: {
        startDate: day(45),
        endDate: day(135),
        application: { opens: day(-15), closes: day(30) },
        places: { total: 60, available: 18 },
        language: 'en',
        mode: 'online',
        fees: [
          { amount: 0, currency: 'EUR', appliesTo: 'alliance_students' },
          { amount: 450, currency: 'EUR', appliesTo: 'others' },
        ],
        enrolmentUrl: 'https://www.unibo.it/en/study/apply',
        eligibility: { openTo: 'anyone', languageRequirements: [{ language: 'en', cefr: 'B2' }] },
      },
    },
    {
      institution: 'unibo.it',
      externalId: 'MC-CULT-HERITAGE',
      runId: 'BOLOGNA-AUTUMN',
      run: {
        startDate: day(120),
        endDate: day(210),
        application: { opens: day(30), closes: day(90) },
        places: { total: 25 },
        language: 'it',
        mode: 'blended',
        location: { city: 'Bologna', campus: 'Via Zamboni', country: 'IT' },
        eligibility: { openTo: 'alliance_students', languageRequirements: [{ language: 'it', cefr: 'B1' }] },
      },
    },
    {
      institution: 'kuleuven.be',
      externalId: 'KUL-AI-ETHICS',
      runId: 'ONLINE-WINTER',
      run: {
        startDate: day(20),
        endDate: day(80),
        application: { opens: day(-30), closes: day(10) },
        places: { total: 100, available: 0 },
        language: 'en',
        mode: 'online',
        fees: [{ amount: 0, currency: 'EUR', appliesTo: 'everyone' }],
      },
    },
    {
      institution: 'kuleuven.be',
      externalId: 'KUL-AI-ETHICS',
      runId: 'LEUVEN-SUMMER',
      run: {
        startDate: day(200),
        endDate: day(214),
        application: { opens: day(60), closes: day(150) },
        places: { total: 30, available: 30 },
        language: 'en',
        mode: 'onsite',
        location: { city: 'Leuven', campus: 'Arenberg', country: 'BE' },
        fees: [{ amount: 0, currency: 'EUR', appliesTo: 'everyone' }],
        eligibility: { openTo: 'institutions', institutions: ['unibo.it', 'ulb.be'] },
      },
    },
    {
      institution: 'helsinki.fi',
      externalId: 'HY-CLIMATE-101',
      runId: 'OPEN-ENROLMENT',
      run: {
        startDate: day(-20),
        endDate: day(100),
        application: { opens: day(-60), closes: day(60) },
        places: { total: 500, available: 212 },
        language: 'en',
        mode: 'online',
        enrolmentUrl: 'https://www.helsinki.fi/en/admissions-and-education',
      },
    },
    {
      institution: 'uni-tuebingen.de',
      externalId: 'UT-MEDTECH-ML',
      runId: 'TUEBINGEN-1',
      run: {
        startDate: day(10),
        endDate: day(120),
        application: { opens: day(-70), closes: day(-5) },
        places: { total: 20, available: 0 },
        language: 'en',
        mode: 'blended',
        location: { city: 'Tübingen', campus: 'Morgenstelle', country: 'DE' },
        eligibility: { openTo: 'alliance_students' },
      },
    },
    {
      institution: 'utwente.nl',
      externalId: 'UT-CHALLENGE-ENERGY',
      runId: 'ENSCHEDE-SPRING',
      run: {
        startDate: day(90),
        endDate: day(180),
        application: { opens: day(-10), closes: day(60) },
        places: { total: 24, available: 24 },
        language: 'en',
        mode: 'project_based',
        location: { city: 'Enschede', country: 'NL' },
        eligibility: { openTo: 'alliance_students' },
      },
    },
    {
      institution: 'uc3m.es',
      externalId: 'UC3M-ENT-LAW',
      runId: 'ONLINE-1',
      run: {
        startDate: day(30),
        endDate: day(90),
        application: { opens: day(-20), closes: day(20) },
        language: 'es',
        mode: 'online',
        fees: [
          { amount: 0, currency: 'EUR', appliesTo: 'alliance_students' },
          { amount: 300, currency: 'EUR', appliesTo: 'others' },
        ],
        eligibility: { openTo: 'anyone', languageRequirements: [{ language: 'es', cefr: 'B2' }] },
      },
    },
    {
      institution: 'ulb.be',
      externalId: 'ULB-FR-LANG-B2',
      runId: 'SOLBOSCH-1',
      run: {
        startDate: day(60),
        endDate: day(150),
        application: { opens: day(-5), closes: day(40) },
        places: { total: 18, available: 6 },
        language: 'fr',
        mode: 'onsite',
        location: { city: 'Bruxelles', campus: 'Solbosch', country: 'BE' },
        fees: [{ amount: 120, currency: 'EUR', appliesTo: 'everyone' }],
        eligibility: { openTo: 'institutions', institutions: ['kuleuven.be', 'uantwerpen.be'], languageRequirements: [{ language: 'fr', cefr: 'B1' }] },
      },
    },
  ]
}
