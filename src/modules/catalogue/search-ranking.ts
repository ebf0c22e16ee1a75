import type { RankingSupport, SearchRanking } from './repository.js'
import { RUM_INDEX } from './repository.js'

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
    return { ranking: 'rum', level: 'info', message: `full-text search: ranked inside the RUM index ${RUM_INDEX}` }
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
