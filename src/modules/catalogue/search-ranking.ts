import type { RankingSupport, SearchRanking } from './repository.js'
import { RUM_INDEX, RUM_INDEX_COLUMNS } from './repository.js'

export interface RankingChoice {
  ranking: SearchRanking
  /** What the service says at start-up, and how loudly. */
  level: 'info' | 'warn'
  message: string
}

const HOW_TO = 'README, "Full-text search at scale"'

/** The names of an index's columns, from its columns written as RUM_INDEX_COLUMNS writes them. */
const namesOf = (columns: string) => columns.split(', ').map((column) => column.split(' ')[0]!)

/** Which ranking a search by relevance uses, given what the database has, and why. */
export function chooseRanking(support: RankingSupport): RankingChoice {
  if (support.index) {
    const ranked = `full-text search: ranked inside the RUM index ${RUM_INDEX}`
    if (support.columns === undefined || support.columns === RUM_INDEX_COLUMNS) return { ranking: 'rum', level: 'info', message: ranked }
    // Still correct either way: a filter the index lacks is checked on the copy's row instead.
    const has = new Set(namesOf(support.columns))
    const lacking = namesOf(RUM_INDEX_COLUMNS).filter((column) => !has.has(column))
    const cost =
      lacking.length > 0
        ? `searches filtered on ${lacking.join(', ')} sort every match before that filter drops the others'`
        : 'its columns or operator classes differ from those the service plans for'
    return {
      ranking: 'rum',
      level: 'warn',
      message: `${ranked}, built on (${support.columns}) rather than (${RUM_INDEX_COLUMNS}): ${cost}; rebuild it (${HOW_TO})`,
    }
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
