import { Type, type Static } from 'typebox'
import { SEQUENCE_MAX, nullable, ref } from '../../schemas.js'
import { CHANGE_ACTIONS, CHANGE_TYPES } from '../journal/index.js'
import { CHANGE_EXAMPLE } from './examples.js'

export const Change = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1, description: 'Strictly increasing position in the feed' }),
    type: Type.Enum(CHANGE_TYPES),
    id: Type.String({ description: 'Offer or decision UUID, or institution SCHAC code' }),
    action: Type.Enum(CHANGE_ACTIONS, {
      description:
        'alliances_changed and awarding_changed: what an offer shows changed without a new version (its institution\'s ' +
        'alliances; an awarding body\'s answer); version is the offer\'s current one',
    }),
    version: nullable(Type.Integer(), { description: 'The object\'s version after the change' }),
    at: Type.String({ format: 'date-time' }),
    validFrom: Type.Optional(
      Type.String({
        format: 'date',
        description: 'Recognition entries: the decision\'s first day in force. A decision starting or ending writes nothing to the feed: consumers apply its dates',
      }),
    ),
    validUntil: Type.Optional(nullable(Type.String({ format: 'date' }), { description: 'Recognition entries: the decision\'s last day in force; null for no end' })),
  },
  { $id: 'Change', additionalProperties: false, examples: [CHANGE_EXAMPLE] },
)
export type Change = Static<typeof Change>

export const ChangePage = Type.Object(
  {
    items: Type.Array(ref(Change)),
    nextAfter: Type.Integer({
      minimum: 0,
      description: 'Pass as `after` to continue; equals `after` when nothing new has been committed',
    }),
  },
  { $id: 'ChangePage', additionalProperties: false, examples: [{ items: [CHANGE_EXAMPLE], nextAfter: CHANGE_EXAMPLE.sequence }] },
)

export const ChangeQuery = Type.Object(
  {
    after: Type.Integer({ minimum: 0, maximum: SEQUENCE_MAX, default: 0, description: 'Return changes after this sequence' }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Page size (at most 1,000: feeds are replayed in bulk)' }),
    type: Type.Optional(Type.Enum(CHANGE_TYPES)),
    institution: Type.Optional(Type.String({ maxLength: 253, description: 'SCHAC code of the owning institution' })),
  },
  { additionalProperties: false },
)
export type ChangeQuery = Static<typeof ChangeQuery>

export const changeSchemas = [Change, ChangePage]
