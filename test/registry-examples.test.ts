import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import t from 'tap'
import { generateOpenApiDocument } from '../src/openapi-document.js'

t.test('the registry\'s and clients\' request bodies each carry an example that their schema accepts', async (t) => {
  const document = JSON.parse(await generateOpenApiDocument())
  const ajv = new Ajv2020({ strict: false })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: 'https://passerelle.invalid/openapi.json' })
  for (const name of ['InstitutionInput', 'InstitutionPatch', 'AllianceInput', 'AlliancePatch', 'ClientInput']) {
    const schema = document.components.schemas[name]
    t.ok(schema.examples?.length > 0, `${name} has an example`)
    const validate = ajv.getSchema(`https://passerelle.invalid/openapi.json#/components/schemas/${name}`)!
    for (const example of schema.examples ?? []) t.ok(validate(example), `${name}: ${JSON.stringify(example)} ${JSON.stringify(validate.errors)}`)
  }
})
