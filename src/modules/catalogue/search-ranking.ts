import type { RankingSupport, SearchRanking } from './repository.js'
import { RUM_INDEX, RUM_INDEX_COLUMNS } from './repository.js'

export interface RankingChoice {
  ranking: SearchRanking
  /** What the service says at start-up, and how loudly. */
  level: 'info' | 'warn'
  message: string
}

const HOW_TO = 'README, "Full-text search at scale"'

/** Which ranking a search by relevance uses, given what the database has, and why. */
export function chooseRanking(support: RankingSupport): RankingChoice {
  if (support.index) {
    const ranked = `full-text search: ranked inside the RUM index ${RUM_INDEX}`
    if (support.columns !== undefined && support.columns !== RUM_INDEX_COLUMNS) {
      // Still correct: the filters the index lacks are checked on the copy's row instead.
      return {
        ranking: 'rum',
        level: 'warn',
        message:
          `${ranked}, built on (${support.columns}) rather than (${RUM_INDEX_COLUMNS}): searches filtered by institution, ` +
          `alliance or country sort every match before the filter drops those of others; rebuild it (${HOW_TO})`,
      }
    }
    return { ranking: 'rum', level: 'info', message: ranked }
  }
  const fallback = 'full-text search: ranked with ts_rank_cd, which scores every match before the best are known'
  switch (support.extension) {
    case 'created':
      return {
        ranking: 'ts_rank_cd',
        level: 'warn',
        message: `${fallback}: the rum extension is in this database but ${RUM_INDEX} is missing or invalid; create it (${HOW_TO}) and restart`,
      }
    case 'available':
      return {
        ranking: 'ts_rank_cd',
        level: 'info',
        message: `${fallback}: the server has the rum extension; CREATE EXTENSION rum (as a superuser), then create ${RUM_INDEX} (${HOW_TO})`,
      }
    case 'absent':
      return { ranking: 'ts_rank_cd', level: 'info', message: `${fallback} (the database has no rum extension)` }
  }
}
