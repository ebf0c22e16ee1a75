// Recognition: decisions (Lisbon Recognition Convention), supersession and the registrar's views.
export { default as recognitionRoutes } from './routes.js'
export { recognitionSchemas, type DecisionInput } from './schemas.js'
export { createRecognitionService, learnerCollisions, type DecisionDetails, type RecognitionService } from './service.js'
