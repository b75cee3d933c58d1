// Public surface of the GQ-CNN engine: architectures, ONNX graph builders, training, model
// folders and the predictor the planner uses.
export * from './architecture.js';
export * from './onnx-builder.js';
export { GraphBuilder } from './onnx-graph.js';
export * from './optimizer.js';
export * from './trainer.js';
export * from './model-io.js';
export * from './checkpoint.js';
export * from './predictor.js';
export { referenceForwardBackward } from './reference.js';
export * from './metrics.js';
export * from './augment.js';
export * from './prioritized.js';
