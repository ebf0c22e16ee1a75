// Exports of the catalogue in the EU's and the wallets' formats: ELM JSON-LD and Open Badges 3.0.
export { elmDataset, jsonArray, loqXmlDataset } from './dataset.js'
export { loqFragments, loqOrganisation, xmlEscape } from './loq-xml.js'
export { elmLearningOpportunity } from './elm.js'
export { ELM_NAMESPACES, LOQ_XML_NAMESPACE, elmContext } from './namespace.js'
export { OB3_CONTEXTS, ob3Achievement } from './ob3.js'
export { default as exportRoutes, type ExportRoutesOptions } from './routes.js'
export { DATASET_FORMATS, createExportService, type DatasetFormat, type DatasetOptions, type ExportTarget } from './service.js'
export type { ExportedOrganisation, ExportSource } from './source.js'
