// `npm run admin -- recognition learner-collisions`: individual decisions in force whose learner
// references are the same learner once normalised (NFKC, trimmed, lower case). Decisions
// recorded before references were normalised are kept as they were; this lists the ones a
// registrar has to resolve (supersede or revoke), nothing is merged.
import type { DatabaseHandle } from '../../src/db/client.js'
import { learnerCollisions } from '../../src/modules/recognition/index.js'

/** Prints the collisions; exit code 1 when there are any, so a script can tell. */
export async function reportLearnerCollisions(database: DatabaseHandle, json: boolean): Promise<number> {
  const collisions = await learnerCollisions(database.db)
  if (json) {
    process.stdout.write(`${JSON.stringify(collisions, null, 2)}\n`)
  } else if (collisions.length === 0) {
    process.stdout.write('no learner references collide once normalised\n')
  } else {
    for (const collision of collisions) {
      process.stdout.write(
        `${collision.recognisingInstitution} offer ${collision.offerId} ${collision.purpose} learner "${collision.learnerKey}": ` +
          `${collision.decisions.length} decisions in force\n`,
      )
      for (const decision of collision.decisions) process.stdout.write(`  ${decision.id}  ${JSON.stringify(decision.learnerRef)}\n`)
    }
    process.stdout.write(`${collisions.length} learner(s) with more than one decision; supersede or revoke all but one\n`)
  }
  return collisions.length > 0 ? 1 : 0
}
